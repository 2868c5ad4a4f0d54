"""What people type to get in: an authenticator code, or a mobile number and a texted code."""
from django import forms

from care.forms import MobileField, NewPasswordMixin, new_password_fields


class CodeForm(forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$", label="6-digit code",
        error_messages={"invalid": "Enter the 6-digit code from your authenticator app."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class RecoverStartForm(forms.Form):
    mobile = MobileField(label="Your mobile number")


class RecoverCodeForm(NewPasswordMixin, forms.Form):
    code = forms.RegexField(
        regex=r"^\s*\d{6}\s*$", label="The 6-digit code we texted",
        error_messages={"invalid": "Enter the 6 digits from the text."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password1, password2 = new_password_fields()

    def clean(self):
        data = super().clean()
        self._check_passwords(None)
        return data
