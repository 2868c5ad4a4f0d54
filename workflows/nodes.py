"""Flow nodes that ask care.permissions, not model permissions, who may take a step."""
from viewflow.workflow import flow
from viewflow.workflow.flow.views import AssignTaskView

from . import permissions


class ClaimTaskView(AssignTaskView):
    """Claim a step and go straight to it: one tap on a phone, not three."""

    template_name = "workflows/delegation/task_assign.html"

    def get_success_url(self):
        activation = self.request.activation
        return activation.flow_task.reverse("execute", args=[activation.process.pk, activation.task.pk])


class View(flow.View):
    """A human step restricted to people holding `circle_permission` on the process's person.

    Viewflow's `can_assign`/`can_execute` gate its views; services and helpers that drive a
    flow without HTTP must call them too (activation transitions do not check permissions).
    The permission is checked again at execution, so someone who left the circle after
    claiming a step cannot finish it.
    """

    assign_view_class = ClaimTaskView
    circle_permission = None

    def Allow(self, codename):
        self.circle_permission = codename
        return self

    def can_assign(self, user, task):
        return super().can_assign(user, task) and self._in_circle(user, task)

    def can_execute(self, user, task):
        return super().can_execute(user, task) and self._in_circle(user, task)

    def _in_circle(self, user, task):
        # Claiming and doing a step ask the same question of the same task object, which lives
        # for one request (or one driven step): answer it once.
        checked = task.__dict__.setdefault("_circle_checks", {})
        key = (user.pk, self.circle_permission)
        if key not in checked:
            checked[key] = self.allowed(user, task)
        return checked[key]

    def allowed(self, user, task):
        """The permission question itself; a flow whose process is not a delegation overrides it."""
        return permissions.may_act(user, self.circle_permission, task)
