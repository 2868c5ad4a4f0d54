"""The product's settings, plus one bench-only page (bench/_production_urls.py): what the rota page's
production-shape measurement (bench/_production.py) starts its web processes with."""
from paworkflow.settings import *  # noqa: F403

ROOT_URLCONF = "bench._production_urls"
