from . import access


def roles(request):
    """Whether the navigation shows the desk; evaluated only where a template asks."""
    return {"is_desk_user": lambda: access.is_desk_user(request.user)}
