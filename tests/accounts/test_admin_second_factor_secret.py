"""A person's second factor is theirs alone: the admin does not show its secret key or QR code."""
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice


def test_the_admin_shows_no_ones_second_factor_secret(admin_client, parent):
    device = TOTPDevice.objects.create(user=parent, name="phone", confirmed=True)
    page = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert page.status_code == 200 and device.key not in page.content.decode()
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code == 403
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk])).status_code == 403
