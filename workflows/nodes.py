"""What both flows share: the human step that asks care.permissions (not model permissions) who
may take it, its claim view, the flows' answers to Viewflow's view/manage questions, and taking
one human step without HTTP."""
import random
import time
from contextlib import contextmanager, nullcontext

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from viewflow.workflow import flow, lock
from viewflow.workflow.activation import Activation
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowLockFailed, FlowRuntimeError
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.switch import SwitchActivation
from viewflow.workflow.managers import _get_related_path
from viewflow.workflow.models import Process, Task
from viewflow.workflow.flow.views import AssignTaskView


def _gate_savepoint():
    """Viewflow opens a savepoint around every gateway's condition so that, when activation errors
    are kept rather than raised (`Context(propagate_exception=False)`), a failed condition can be
    recorded on its task while the step goes on. Raised (Viewflow's default, which nothing here
    changes), the error undoes the step's whole transaction and the savepoint guards nothing: two
    queries for each gate a step passes (about ten a delegation). Kept when errors are kept."""
    return nullcontext() if context.propagate_exception else transaction.atomic(savepoint=True)


class GateIfActivation(IfActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard(), _gate_savepoint():
            self._condition_result = self.flow_task._condition(self)


class GateSwitchActivation(SwitchActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard(), _gate_savepoint():
            for node, condition in self.flow_task._branches:  # as Viewflow's own, less the savepoint
                if condition:
                    if condition(self):
                        self.next_task = node
                        break
                else:
                    self.next_task = node
            if not self.next_task:
                raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class If(flow.If):
    """flow.If, its condition asked without a savepoint of its own (`_gate_savepoint`)."""

    activation_class = GateIfActivation


class Switch(flow.Switch):
    """flow.Switch, its cases asked without a savepoint of their own (`_gate_savepoint`)."""

    activation_class = GateSwitchActivation


class ClaimTaskView(AssignTaskView):
    """Claim a step and go straight to it: one tap on a phone, not three. Each flow's subclass
    names its template."""

    def get_success_url(self):
        activation = self.request.activation
        return activation.flow_task.reverse("execute", args=[activation.process.pk, activation.task.pk])


class View(flow.View):
    """A human step restricted to people holding `circle_permission` on the process's person,
    and, with `OnlyFor(person)`, to the one person the process names.

    Viewflow's `can_assign`/`can_execute` gate its views; services and helpers that drive a
    flow without HTTP must call them too (activation transitions do not check permissions).
    The permission is checked again at execution, so someone who left the circle after
    claiming a step cannot finish it.
    """

    circle_permission = None
    only_for = None

    def Allow(self, codename):
        self.circle_permission = codename
        return self

    def OnlyFor(self, person):
        """Only `person(activation)` may claim or do this step. `.Assign(...)` alone is not
        enough: a step given back is open to anyone holding the circle permission."""
        self.only_for = person
        return self

    def can_assign(self, user, task):
        return super().can_assign(user, task) and self._in_circle(user, task)

    def can_execute(self, user, task):
        return self._owned_by(user, task) and self._in_circle(user, task)

    @staticmethod
    def _owned_by(user, task):
        # Viewflow's own answer (2.4: `is_owner(task.owner, user)`, the same class and pk) by the
        # owner's id: it loads the owner's row only to compare it, a query in every step's page
        return task.owner_id is not None and isinstance(user, Task.owner.field.related_model) and \
            task.owner_id == user.pk

    def can_unassign(self, user, task):
        # Only the holder gives a step back: Viewflow would also let flow managers, and nobody
        # should hand someone else's step to the next person who claims it.
        return task.owner_id is not None and user is not None and user.is_authenticated and task.owner_id == user.pk

    def _in_circle(self, user, task):
        # Claiming and doing a step ask the same question of the same task object, which lives
        # for one request (or one driven step): answer it once.
        checked = task.__dict__.setdefault("_circle_checks", {})
        key = (user.pk, self.circle_permission)
        if key not in checked:
            checked[key] = self.allowed(user, task) and self._named(user, task)
        return checked[key]

    def _named(self, user, task):
        if self.only_for is None:
            return True
        # an activation without the flow's lock: only read to ask who the process names
        person = self.only_for(self.activation_class(task))
        return person is not None and person.pk == user.pk

    def allowed(self, user, task):
        """The permission question itself, asked of the flow's own process: each flow's node answers it."""
        raise NotImplementedError


class CircleFlow:
    """Mixed into each flow (before `flow.Flow`): who sees a process is the flow's `may_view`
    (a `staticmethod(fn(user, process))`), and nobody manages one. Viewflow's undo/cancel/revive
    pages are not mounted (guarded_urls): clinical decisions are records, so nobody rewrites a
    process other than through its steps."""

    may_view = None
    # relations of the process most steps read, loaded with the task (locked_activation): two at most,
    # for PostgreSQL's planner (see there)
    step_reads = ()

    def has_view_permission(self, user, obj=None):
        if obj is None:
            return user.is_authenticated
        return self.may_view(user, obj)

    def has_manage_permission(self, user, obj=None):
        return False


def human_steps(flow_class):
    """The flow's human steps: its View nodes, read from the flow itself."""
    return [node for node in flow_class.instance.nodes() if isinstance(node, flow.View)]


@contextmanager
def locked_activation(task):
    """Viewflow's `task.activation()`, with the flow's lock and the task read in one query.

    Viewflow takes the flow's lock (`SELECT 1 ... FOR UPDATE NOWAIT` on the flow's own process
    row), reloads the task, then reads the base process row and, to coerce it, the flow's own
    process row: four queries a step. Here the reload joins both process rows (`select_related`
    down the multi-table link) and the relations of the process most steps read (the flow's
    `step_reads`), and, with `select_for_update_lock`, is itself the lock: the same row
    locked the same way (NOWAIT, retried as Viewflow retries), so the activation's coercion and our
    permission checks (`delegation_of`) find everything already loaded."""
    flow_class = task.flow_task.flow_class
    link = _get_related_path(flow_class.process_class, Process)
    process = "process__" + link if link else "process"
    # Not the task's owner too: PostgreSQL plans a join of six tables or more in milliseconds (each
    # table more costs more than the query it would save), so a step that needs the owner reads it.
    rows = Task.objects.select_related(
        process, *(f"{process}__{name}" for name in getattr(flow_class, "step_reads", ()))
    ).filter(pk=task.pk).order_by()
    held = ReadingLock(rows, process, flow_class.lock_impl)
    with lock.lock_scope(held, flow_class, task.process_id):
        for field in Task._meta.concrete_fields:  # as refresh_from_db would, the process included
            setattr(task, field.attname, getattr(held.task, field.attname))
        task._state.fields_cache = dict(held.task._state.fields_cache)
        yield task.flow_task.activation_class(task)


class ReadingLock:
    """A flow's lock (a `lock_impl`, run by Viewflow's `lock_scope`) that reads `rows` (the task)
    once it holds the lock, into `.task`. With `select_for_update_lock` the read is the lock query:
    `SELECT ... FOR UPDATE NOWAIT` of the flow's own process row, as viewflow.workflow.lock.
    SelectForUpdateLock (2.4) locks it, tried as often and with the same back-off before
    FlowLockFailed. Any other lock is taken first, then the task read."""

    def __init__(self, rows, process, lock_impl):
        self.rows, self.process, self.lock_impl, self.task = rows, process, lock_impl, None

    @contextmanager
    def __call__(self, flow_class, process_pk):
        impl = self.lock_impl
        if not isinstance(impl, lock.SelectForUpdateLock):
            with impl(flow_class, process_pk):
                self.task = self.rows.get()
                yield
            return
        # an inner join to the flow's own process row: PostgreSQL locks no row on the nullable side of
        # an outer join, and that row is the one Viewflow's lock takes
        rows = self.rows.filter(**{f"{self.process}__isnull": False}).select_for_update(
            nowait=impl.nowait, of=(self.process,))
        for i in range(impl.attempts):
            with transaction.atomic():
                try:
                    self.task = rows.get()
                except DatabaseError:
                    if i == impl.attempts - 1:
                        raise FlowLockFailed(f"Lock failed for {flow_class}") from None
                    time.sleep((((i + 1) * random.random()) + 2**i) / 2.5)
                else:
                    yield
                    break


def take_step(task, user, step, **data):
    """Claim (if needed) and complete one human step as `user`, checking permission as the views do."""
    with locked_activation(task) as activation:
        flow_task = activation.flow_task
        if activation.task.owner_id is None:
            if not flow_task.can_assign(user, activation.task):
                raise PermissionDenied(f"{user} may not take {flow_task.name}.")
            activation.assign(user)
        if not flow_task.can_execute(user, activation.task):
            raise PermissionDenied(f"{user} may not do {flow_task.name}.")
        activation.start(None)
        return step(activation=activation, actor=user, **data)
