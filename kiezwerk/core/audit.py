"""The audit trail's vocabulary: every verb is registered once, with the sentences staff read.

Each app declares in its own `audit.py` (found at start-up by `CoreConfig.ready`):

- its verbs (`register`): a short sentence per verb, or a `Verb` that also tells a row's details in
  words (before → after with the translated labels, the outcome, the counts) and who acted when no
  account did (the system, the reporter, or nobody to name because the sentence says who);
- how its objects are named for people (`names`): "Anliegen #12 „Sperrmüll …“" rather than
  "concerns.concern 12", with a link where the viewer may open it.

`lines(events, viewer)` puts both together for the desk's pages and the CSV export: "Status geändert:
Neu → Gesichtet, von Werner H." and the object it concerns, one query per kind of object named. A row
written before its verb recorded details reads as the short sentence. `core.services.audit_record`
refuses a verb nobody registered, so a typo fails in the tests, not in the trail; old rows with a verb
no longer registered still show, by their code.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

VERBS = {}
_namers = {}

# Who acted when no account did (`Verb.nobody`); None: the sentence itself says who (a resident, a partner).
SYSTEM = "system"
REPORTER = "reporter"


@dataclass(frozen=True)
class Verb:
    """One audit verb: its short sentence and how a row's details read.

    `details(event, lookup)` returns the sentence with the row's details, or None when the row does not
    record them (old rows): then `text` is shown. `refs` names the data keys that hold other objects'
    ids, as ((key, model label), …), so that a page names them all in one query (`lookup.name`).
    """

    text: object
    details: object = None
    nobody: object = SYSTEM
    refs: tuple = ()


@dataclass(frozen=True)
class Name:
    """How people recognise an object: a short text and, where the viewer may open it, a link."""

    text: str
    url: str = ""
    title: str = ""  # a title people wrote (a concern's), shown quoted in its own language
    lang: str = ""

    @property
    def full(self):
        """The name as plain text, the title quoted (for sentences and the CSV)."""
        if not self.title:
            return self.text
        return gettext("%(name)s “%(title)s”") % {"name": self.text, "title": self.title}


@dataclass(frozen=True)
class Line:
    """One audit row in words: the sentence (what, details, who) and the object it concerns."""

    event: object
    text: str
    target: Name


def register(verbs):
    """Add {verb: translated sentence or Verb}; a verb registered twice with another meaning is a bug."""
    for verb, spec in verbs.items():
        spec = spec if isinstance(spec, Verb) else Verb(spec)
        if verb in VERBS and VERBS[verb] != spec:
            raise ValueError(f"Audit verb {verb!r} is registered twice.")
        VERBS[verb] = spec


def is_registered(verb):
    return verb in VERBS


def sentence(verb):
    """What happened, as a short translated sentence (the code itself for a verb no longer registered)."""
    spec = VERBS.get(verb)
    return str(spec.text) if spec else verb


def names(label, namer):
    """How the objects of a model are named: `namer(ids, viewer)` returns {id (str): Name} for those that exist."""
    _namers[label] = namer


class Lookup:
    """What one page needs to name: objects (in one query per model) and other values (computed once)."""

    def __init__(self, viewer=None):
        self.viewer = viewer
        self._wanted = defaultdict(set)
        self._names = {}
        self._once = {}

    def want(self, label, pk):
        if pk not in (None, "") and (label, str(pk)) not in self._names:
            self._wanted[label].add(str(pk))

    def name(self, label, pk):
        """The Name of one object (asked together with everything `want`ed so far)."""
        key = (label, str(pk))
        if key not in self._names:
            self.want(label, pk)
            self._fetch()
        return self._names[key]

    def once(self, key, compute):
        """`compute()` once per page, e.g. a district's category names."""
        if key not in self._once:
            self._once[key] = compute()
        return self._once[key]

    def _fetch(self):
        for label, ids in self._wanted.items():
            namer = _namers.get(label)
            found = namer(sorted(ids), self.viewer) if namer and ids else {}
            for pk in ids:
                self._names[(label, pk)] = found.get(pk) or _unnamed(label, pk, known=namer is not None)
        self._wanted.clear()


def _unnamed(label, pk, *, known):
    """A name for an object that is gone (or of a model nobody names): its kind, never its code."""
    try:
        kind = capfirst(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return Name(gettext("An object that no longer exists"))
    if known:
        return Name(gettext("%(kind)s (deleted)") % {"kind": kind})
    return Name(gettext("%(kind)s no. %(number)s") % {"kind": kind, "number": pk})


def lines(events, viewer=None):
    """[Line] for audit events (with their actor loaded): each as a sentence, and the object it concerns.

    `viewer` decides the links (None: no links). Use it inside the language the page is in.
    """
    events = list(events)
    lookup = Lookup(viewer)
    for event in events:
        lookup.want(event.target_type, event.target_id)
        spec = VERBS.get(event.verb)
        for key, label in spec.refs if spec else ():
            lookup.want(label, (event.data or {}).get(key))
    return [Line(event, text(event, lookup), lookup.name(event.target_type, event.target_id)) for event in events]


def text(event, lookup=None):
    """The sentence of one event: what happened, its details where recorded, and who did it."""
    spec = VERBS.get(event.verb)
    if spec is None:
        return event.verb  # an old row of a verb nobody registers any more
    what = spec.details(event, lookup or Lookup()) if spec.details else None
    what = str(what or spec.text)
    if event.actor is not None:
        return gettext("%(what)s, by %(person)s") % {"what": what, "person": person(event.actor)}
    if spec.nobody == SYSTEM:
        return gettext("%(what)s, by the system") % {"what": what}
    if spec.nobody == REPORTER:
        return gettext("%(what)s, by the reporter") % {"what": what}
    return what


# Helpers for the apps' details -----------------------------------------------------------------------


def person(user):
    """A person as the trail names them: first name and the initial of the last ("Werner H.")."""
    return user.get_short_name() or str(user)


def label(choices, value):
    """The translated label of a stored choice (TextChoices); the value itself when no longer a choice."""
    return str(dict(choices.choices).get(value, value))


def day(value):
    """A stored ISO date ("2030-05-01") as the language writes it ("1. Mai 2030"); "none" for no date."""
    if value in (None, "", "None"):
        return gettext("none")
    try:
        return formats.date_format(datetime.date.fromisoformat(str(value)[:10]), "DATE_FORMAT")
    except ValueError:
        return str(value)


def changed(what, data, name=str):
    """ "<what>: <before> → <after>" with each value named by `name`; None when the row does not record both."""
    if "before" not in data or "after" not in data:
        return None
    return gettext("%(what)s: %(before)s → %(after)s") % {
        "what": what,
        "before": name(data["before"]),
        "after": name(data["after"]),
    }


# The verbs and objects of core itself.
def _core_verbs():
    from django.utils.translation import ngettext

    def area(event, lookup):
        if event.data.get("area_km2") is None:
            return None
        size = formats.number_format(event.data["area_km2"], decimal_pos=2)
        if event.verb == "district.created":
            return gettext("District created (%(area)s km²)") % {"area": size}
        return gettext("District boundary updated (%(area)s km²)") % {"area": size}

    def flags(event, lookup):
        count = event.data.get("flags")
        if not count:
            return None
        return ngettext(
            "%(count)s report looked at by a moderator", "%(count)s reports looked at by a moderator", count
        ) % {"count": count}

    def languages(event, lookup):
        codes = event.data.get("languages")
        if not codes:
            return None
        shown = dict(settings.CONTENT_LANGUAGES)
        return gettext("Languages: %(languages)s") % {"languages": ", ".join(shown.get(c, c) for c in codes)}

    register(
        {
            "district.created": Verb(_("District created"), details=area),
            "district.welcome_changed": Verb(_("Welcome text of the district changed"), details=languages),
            "district.updated": Verb(_("District boundary updated"), details=area),
            "mail.resent": _("Undelivered e-mail sent again"),
            "flag.resolved": Verb(_("Flags looked at by a moderator"), details=flags),
            "accessibility.answered": _("Accessibility feedback answered"),
        }
    )

    def district_names(ids, viewer):
        District = apps.get_model("core", "District")
        return {
            str(d.pk): Name(gettext("District %(name)s") % {"name": d.name})
            for d in District.objects.filter(pk__in=ids)
        }

    def mail_names(ids, viewer):
        OutboxMail = apps.get_model("core", "OutboxMail")
        mails = OutboxMail.objects.filter(pk__in=ids).only("pk", "subject")
        return {str(m.pk): Name(gettext("E-mail “%(subject)s”") % {"subject": m.subject}) for m in mails}

    def feedback_names(ids, viewer):
        Feedback = apps.get_model("core", "AccessibilityFeedback")
        found = Feedback.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()]).values_list("pk", flat=True)
        return {str(pk): Name(gettext("Accessibility feedback #%(pk)s") % {"pk": pk}) for pk in found}

    names("core.district", district_names)
    names("core.accessibilityfeedback", feedback_names)
    names("core.outboxmail", mail_names)


_core_verbs()
