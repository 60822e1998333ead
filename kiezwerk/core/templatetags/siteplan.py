"""`{% site_plan district lat lon address %}`: the small site plan of a spot (core.siteplan) as inline SVG."""

from django import template

from ..siteplan import site_plan as plan_of

register = template.Library()


@register.inclusion_tag("core/_site_plan.html")
def site_plan(district, lat, lon, address=""):
    return {"plan": plan_of(district, lat, lon, address=address), "address": address, "lat": lat, "lon": lon}
