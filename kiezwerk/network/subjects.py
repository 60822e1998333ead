"""What a referral is about: a concern (its own foreign key), or an object of a domain above the network.

A domain that asks partners for help with its objects (a project asking for a skip) registers its model here
at start-up (`register`): how pages and mails name the object, where the team works on it, which template
shows it to the partner, and whom of the team to tell. The network knows no such domain.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext


@dataclass(frozen=True)
class About:
    """A referral's object, as pages and mails name it."""

    label: str  # "Anliegen #12", "Projekt #3"
    title: str
    language: str
    team_url: str
    lat: float | None
    lon: float | None
    address: str
    partner_template: str  # what the partner reads about it (its own block on the partner's page)
    obj: object


@dataclass(frozen=True)
class Kind:
    describe: callable  # (obj) -> About
    team: callable  # (obj) -> [user] to tell about the partner's steps, besides who sent the request


_kinds = {}


def register(model, *, describe, team):
    _kinds[model._meta.label_lower] = Kind(describe=describe, team=team)


def _concern(concern):
    return About(
        label=gettext("Concern #%(number)s") % {"number": concern.pk},
        title=concern.title,
        language=concern.language,
        team_url=reverse("desk:concern", args=[concern.pk]),
        lat=concern.lat,
        lon=concern.lon,
        address=concern.address,
        partner_template="network/_partner_concern.html",
        obj=concern,
    )


def about(referral):
    """What the referral is about (cached on the instance)."""
    if not hasattr(referral, "_about"):
        if referral.concern_id:
            referral._about = _concern(referral.concern)
        else:
            referral._about = _kinds[referral.subject_type.model_class()._meta.label_lower].describe(referral.subject)
    return referral._about


def team(referral):
    """The team members to tell about a partner's step: who sent it, and who looks after its object."""
    if referral.concern_id:
        people = [referral.concern.assignee]
    else:
        people = _kinds[referral.subject_type.model_class()._meta.label_lower].team(referral.subject)
    return [referral.created_by, *people]
