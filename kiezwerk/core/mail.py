"""E-mail from templates, in the recipient's language, through the outbox."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from . import outbox


def mail_send(*, to, template, context, language="de", headers=None, district=None, attachments=()):
    """Render `<template>_subject.txt` and `<template>_body.txt` and put one mail into the outbox.

    `attachments`: (filename, bytes, mimetype) each.

    Call it inside the transaction of the change the mail tells about: the mail is stored with it
    and sent after the commit, with retries (core.outbox).
    """
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[to], headers=headers or {})
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return outbox.enqueue(message, district=district, purpose=template)
