"""500 complete delegations (request → risk assessment → consent → acceptance → training →
assessment → sign-off), driven without HTTP through workflows.delegation exactly as the
demo and the tests drive them, against a bare Viewflow flow with the same six human steps
(Start → 6 × View → End) driven the same way, interleaved in the same run: SQL queries
and milliseconds per process for each, and their ratio (the figure we track; aim < 2×).
A third flow with DelegationFlow's own shape (the same gateways, Function node and review
timer, all empty) shows how much of the difference is Viewflow running that shape and how
much is our work in the steps (records, audit rows, texts, permission checks).

The people have mobiles and have agreed to texts, so every text a delegation sends is written to
the outbox and handed to the broker after commit, as in production (an in-memory broker with no
worker: sending is the worker's cost, measured by sms_dispatch). The drama range holds 1,000
numbers, so beyond about 700 delegations the later people have none (`texts_per_delegation`
shows it).

Environment: BENCH_DELEGATIONS (500), BENCH_DATABASE_URL (default: a throwaway SQLite file;
point it at a scratch PostgreSQL database to measure that — its tables are created and the
data left behind).
"""
import os
import sys
import tempfile
import time
import types
import uuid

from bench.setup import configure_django

HUMAN_STEPS = 6
PAS_PER_FAMILY = 5



def never_served(request, **kwargs):
    """The view of the benchmark flows' steps: the bench drives them without HTTP."""
    raise NotImplementedError


def bare_flow():
    """A plain Viewflow flow with the same number of human steps and no work in them.

    Viewflow stores node references as "<app>/<module>.<Flow>.<node>", so the flow must live
    in an installed app's module: it is registered as workflows.bench_bare for this run only.
    """
    from viewflow import this
    from viewflow.workflow import flow

    noop_view = never_served

    class BareFlow(flow.Flow):
        __module__ = "workflows.bench_bare"
        start = flow.StartHandle().Next(this.step_1)
        step_1 = flow.View(noop_view).Next(this.step_2)
        step_2 = flow.View(noop_view).Next(this.step_3)
        step_3 = flow.View(noop_view).Next(this.step_4)
        step_4 = flow.View(noop_view).Next(this.step_5)
        step_5 = flow.View(noop_view).Next(this.step_6)
        step_6 = flow.View(noop_view).Next(this.end)
        end = flow.End()

    module = types.ModuleType("workflows.bench_bare")
    module.BareFlow = BareFlow
    sys.modules[module.__name__] = module
    return BareFlow


def shaped_flow():
    """A plain Viewflow flow with DelegationFlow's shape — its human steps, gateways, the Function
    node and the review timer — and no work in any of them: what Viewflow itself costs for that
    shape, so the figure left over is ours."""
    import datetime

    from django.utils import timezone
    from viewflow import this
    from viewflow.workflow import flow

    noop_view = never_served

    def yes(activation):
        return True

    def later(activation):
        return timezone.now() + datetime.timedelta(days=300)

    class ShapedFlow(flow.Flow):
        __module__ = "workflows.bench_shaped"
        start = flow.StartHandle().Next(this.assess_risk)
        assess_risk = flow.View(noop_view).Next(this.check_risk)
        check_risk = flow.If(yes).Then(this.consent).Else(this.end)
        consent = flow.View(noop_view).Next(this.check_consent)
        check_consent = flow.If(yes).Then(this.accept).Else(this.end)
        accept = flow.View(noop_view).Next(this.check_acceptance)
        check_acceptance = flow.If(yes).Then(this.open_competency).Else(this.end)
        open_competency = flow.Function(lambda activation: None).Next(this.train)
        train = flow.View(noop_view).Next(this.check_practice)
        check_practice = flow.If(yes).Then(this.assess).Else(this.train)
        assess = flow.View(noop_view).Next(this.check_assessment)
        check_assessment = flow.Switch().Case(this.sign_off, yes).Default(this.end)
        sign_off = flow.View(noop_view).Next(this.wait_for_review)
        wait_for_review = flow.Timer(later).Next(this.end)
        end = flow.End()

    module = types.ModuleType("workflows.bench_shaped")
    module.ShapedFlow = ShapedFlow
    sys.modules[module.__name__] = module
    return ShapedFlow


def cast(families):
    """Families, each with a budget holder, a nurse and PAS_PER_FAMILY PAs (no password hashing)."""
    from django.contrib.auth import get_user_model

    from care.models import CareRecipient, Profile, Role
    from care.services import add_member
    from tests.factories import nhs_number

    User = get_user_model()
    run = uuid.uuid4().hex[:6]  # a scratch database may hold an earlier run's people

    # Mobiles are unique and only Ofcom's drama range (07700 900000-900999) is accepted: a scratch
    # database's earlier runs give theirs back.
    Profile.objects.filter(mobile__startswith="+447700900").update(mobile="")
    mobiles = iter(f"+447700900{n:03d}" for n in range(1000))

    def user(name):
        u = User(username=f"{run}-{name}")
        u.set_unusable_password()
        u.save()
        Profile.objects.create(user=u, mobile=next(mobiles, ""), sms_consent=True)
        return u

    people = []
    start = CareRecipient.objects.count()
    for i in range(families):
        recipient = CareRecipient.objects.create(display_name=f"Bench {i}", date_of_birth="2015-01-01",
                                                 nhs_number=nhs_number(10_000 + start + i))
        parent, nurse = user(f"parent{i}"), user(f"nurse{i}")
        add_member(recipient=recipient, user=parent, role=Role.BUDGET_HOLDER)
        add_member(recipient=recipient, user=nurse, role=Role.CLINICIAN)
        for j in range(PAS_PER_FAMILY):
            pa = user(f"pa{i}-{j}")
            add_member(recipient=recipient, user=pa, role=Role.PA)
            people.append((recipient, parent, nurse, pa))
    return people


def run_delegation(recipient, parent, nurse, pa, task):
    from django.utils import timezone
    from viewflow.workflow.status import STATUS

    from workflows.delegation import services
    from workflows.delegation.demo import PLANS
    from workflows.delegation.driving import start_delegation
    from workflows.delegation.flow import DelegationFlow
    from workflows.nodes import take_step

    def step(node, user, fn, **data):
        todo = process.task_set.get(flow_task=node, status__in=[STATUS.NEW, STATUS.ASSIGNED])
        take_step(todo, user, fn, **data)

    process = start_delegation(actor=parent, recipient=recipient, pa=pa, healthcare_task=task, reason="bench")
    step(DelegationFlow.assess_risk, nurse, services.assess_risk, decision="proceed", hazards="h", controls="c")
    step(DelegationFlow.consent, parent, services.agree, party="person", agreed=True)
    step(DelegationFlow.accept, pa, services.agree, party="pa", agreed=True)
    step(DelegationFlow.train, nurse, services.train, trained_on=timezone.localdate(), method="supervised_practice",
         supervised_practices=task.supervised_practices_required)
    step(DelegationFlow.assess, nurse, services.assess, assessed_on=timezone.localdate(),
         results={c: True for c in task.criteria})
    step(DelegationFlow.sign_off, nurse, services.sign_off, plans=PLANS)
    # the delegation agreement's other two parties: part of every delegation now (issue 17)
    services.agree_as_employer(process=process, actor=parent, choice_of="person")
    services.acknowledge_as_pa(process=process, actor=pa)
    return process


def run_bare(BareFlow, user):
    from django.core.exceptions import PermissionDenied
    from viewflow.workflow.status import STATUS

    process = BareFlow.start.run()
    for _ in range(HUMAN_STEPS):
        task = process.task_set.get(status=STATUS.NEW, flow_task_type="HUMAN")
        with task.activation() as activation:  # the same shape as workflows.nodes.take_step
            if not activation.flow_task.can_assign(user, activation.task):
                raise PermissionDenied
            activation.assign(user)
            if not activation.flow_task.can_execute(user, activation.task):
                raise PermissionDenied
            activation.start(None)
            activation.execute()
    return process


def run_shaped(ShapedFlow, user):
    return run_bare(ShapedFlow, user)


def main():
    total = int(os.environ.get("BENCH_DELEGATIONS", "500"))
    with tempfile.TemporaryDirectory() as workdir:
        configure_django(workdir, CELERY_TASK_ALWAYS_EAGER="0", CELERY_BROKER_URL="memory://", SMS_BACKEND="locmem",
                         PUBLIC_BASE_URL="https://bench.invalid")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from viewflow.workflow.status import PROCESS

        from competencies.models import Competency, HealthcareTask, Status

        BareFlow, ShapedFlow = bare_flow(), shaped_flow()
        people = cast(-(-total // PAS_PER_FAMILY))[:total]
        task = HealthcareTask.objects.get(code="tracheostomy-suction")
        run_delegation(*people[0], HealthcareTask.objects.get(code="nebuliser"))  # warm caches, not counted
        run_bare(BareFlow, people[0][1])
        run_shaped(ShapedFlow, people[0][1])

        from notifications.models import Message

        texts_before = Message.objects.count()
        signed_before = Competency.objects.filter(task=task, status=Status.SIGNED_OFF).count()
        figures = {"delegation": [0.0, 0], "bare": [0.0, 0], "shaped": [0.0, 0]}
        for recipient, parent, nurse, pa in people:
            for name, run in (("bare", lambda: run_bare(BareFlow, parent)),
                              ("shaped", lambda: run_shaped(ShapedFlow, parent)),
                              ("delegation", lambda: run_delegation(recipient, parent, nurse, pa, task))):
                connection.queries_log.clear()  # the log keeps 9,000 queries; the counts must not wrap
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    process = run()
                    figures[name][0] += time.perf_counter() - started
                figures[name][1] += len(queries.captured_queries)
                process.refresh_from_db()
                if name == "delegation":
                    assert process.competency.status == Status.SIGNED_OFF
                else:  # the shaped flow parks on its timer, as a signed-off delegation does
                    assert process.status == (PROCESS.DONE if name == "bare" else PROCESS.NEW)

        signed = Competency.objects.filter(task=task, status=Status.SIGNED_OFF).count() - signed_before
        assert signed == total, signed
        ms = {name: 1000 * seconds / total for name, (seconds, _) in figures.items()}
        queries = {name: count / total for name, (_, count) in figures.items()}
        result = {
            "processes": total,
            "database": connection.vendor,
            "delegation_ms_per_process": round(ms["delegation"], 2),
            "delegation_queries_per_process": round(queries["delegation"], 1),
            "bare_ms_per_process": round(ms["bare"], 2),
            "bare_queries_per_process": round(queries["bare"], 1),
            "ratio_ms": round(ms["delegation"] / ms["bare"], 2),
            "ratio_queries": round(queries["delegation"] / queries["bare"], 2),
            "same_shape_ms_per_process": round(ms["shaped"], 2),
            "same_shape_queries_per_process": round(queries["shaped"], 1),
            "ratio_ms_vs_same_shape": round(ms["delegation"] / ms["shaped"], 2),
            "texts_per_delegation": round((Message.objects.count() - texts_before) / total, 2),
        }
    for key, value in result.items():
        print(f"{key}: {value}")
    return result


if __name__ == "__main__":
    main()
