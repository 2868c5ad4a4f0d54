"""A bare Django view that runs the rota page's own SQL (captured from the real page and written to
the file BENCH_BARE_QUERIES names) and renders a trivial template: what the rota page would cost if
everything between its queries and its HTML were free. Bench only; never in the product's URLs."""
import json
import os
from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.template import engines

TEMPLATE = "<!doctype html><title>bare</title><p>{{ rows }} rows from {{ queries }} queries</p>"


@cache
def replayed():
    return tuple(json.loads(Path(os.environ["BENCH_BARE_QUERIES"]).read_text()))


@cache
def template():
    return engines["django"].from_string(TEMPLATE)


@login_required
def bare_rota(request):
    rows = 0
    with connection.cursor() as cursor:
        for sql in replayed():
            cursor.execute(sql)
            rows += len(cursor.fetchall())
    return HttpResponse(template().render({"rows": rows, "queries": len(replayed())}, request))
