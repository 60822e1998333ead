"""The team's table of a shift's volunteers, written here rather than in the template: a big action has
hundreds of sign-ups, and Django's template engine spends about four times as long on each row as this
(bench/README.md, case `projects`). The markup is the template's: projects/team_detail.html has the table."""

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def volunteer_rows(shift):
    """The <tr> rows of `shift.signups` (prefetched, cancelled ones left out); "" when there are none.

    A row: name, e-mail address and phone, status, attendance, and for a shift still to come the button
    that takes the volunteer off it (the shift's table is one form; the button names the sign-up).
    """
    yes, no, cancel = escape(gettext("yes")), escape(gettext("no")), escape(gettext("Cancel"))
    rows = []
    for signup in shift.signups.all():
        name, address = escape(signup.display_name), escape(signup.address)
        contact = f'<a href="mailto:{address}">{address}</a>' if address else ""
        if signup.phone:
            contact += f"<br>{escape(signup.phone)}"
        if signup.attended:
            attended = f"{yes} ({escape(localize(signup.hours))} h)" if signup.hours is not None else yes
        else:
            attended = no if signup.attended is False else "–"
        button = (
            f'<button type="submit" name="signup" value="{signup.pk}" class="link-button small">'
            f'{cancel}<span class="visually-hidden">: {name}</span></button>'
            if shift.is_upcoming
            else ""
        )
        rows.append(
            f'<tr><td dir="auto">{name or "–"}</td><td>{contact}</td><td>{escape(signup.status_label)}</td>'
            f"<td>{attended}</td><td>{button}</td></tr>"
        )
    return mark_safe("\n".join(rows))  # every value above is escaped
