"""E-mail from templates, in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def mail_send(*, to, template, context, language="de", headers=None):
    """Render `<template>_subject.txt` and `<template>_body.txt` and send one mail.

    Raises smtplib.SMTPException or OSError when the server refuses (tasks retry).
    """
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    EmailMessage(subject=subject, body=body, to=[to], headers=headers or {}).send()
