from . import policy


def roles(request):
    """Whether the navigation shows the desk or the partner view; evaluated only where a template asks."""
    return {
        "is_desk_user": lambda: policy.is_desk_user(request.user),
        # Only people with a partner role are asked whether they belong to an organisation.
        "is_partner_user": lambda: policy.has_partner_role(request.user) and policy.is_partner_user(request.user),
    }
