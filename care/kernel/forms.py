"""One way every form is rendered (`FORM_RENDERER`): a label above each field, its hint and its
errors under it, tied to it with `aria-describedby` (Django's `{auto_id}_helptext` and
`{auto_id}_error` ids), and errors announced (templates/forms/).

A page that lays out a group of fields itself (a criteria table, a day-by-day plan) renders them
with `{{ field.as_field_group }}`; its form names their prefixes in `laid_out_elsewhere`, and
`{{ form }}` renders the rest. A choice field may say what to show when it has no choices in
`nothing_to_choose`.
"""
from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def render(self, template_name, context, request=None):
        form = context.get("form") if template_name == self.form_template_name else None
        elsewhere = tuple(getattr(form, "laid_out_elsewhere", ()))
        if elsewhere:
            context = {**context, "fields": [
                (field, errors) for field, errors in context["fields"] if not field.name.startswith(elsewhere)
            ]}
        return super().render(template_name, context, request)
