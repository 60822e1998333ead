from . import rules


def partner(request):
    """Whether the navigation shows the partner's referrals; evaluated only where a template asks.

    No query of its own: the memberships come with the roles the navigation loads anyway.
    """
    return {"is_partner_user": lambda: rules.is_partner(request.user)}
