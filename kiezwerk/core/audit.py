"""The audit trail's vocabulary: every verb is registered once, with the sentence staff read.

Each app declares its verbs in its own `audit.py` (found at start-up by `CoreConfig.ready`);
`core.services.audit_record` refuses a verb nobody registered, so a typo fails in the tests,
not in the trail. Old rows with a verb no longer registered still show, by their code.
"""

VERBS = {}


def register(verbs):
    """Add {verb: translated sentence}; a verb registered twice with another sentence is a bug."""
    for verb, sentence in verbs.items():
        if verb in VERBS and VERBS[verb] != sentence:
            raise ValueError(f"Audit verb {verb!r} is registered twice.")
        VERBS[verb] = sentence


def is_registered(verb):
    return verb in VERBS


def sentence(verb):
    """What happened, as a translated sentence (the code itself for a verb no longer registered)."""
    return str(VERBS.get(verb, verb))


# The verbs of core itself.
def _core_verbs():
    from django.utils.translation import gettext_lazy as _

    register(
        {
            "district.created": _("District created"),
            "district.updated": _("District boundary updated"),
            "mail.resent": _("Undelivered e-mail sent again"),
            "flag.resolved": _("Flags looked at by a moderator"),
        }
    )


_core_verbs()
