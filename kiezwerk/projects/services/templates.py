"""Project templates: the district's recurring actions, checked, saved, shipped and applied to a project.

A template's tasks form a graph (each task may wait for another); networkx finds a cycle. Offsets are whole
days before the action's date (a negative number: after it).
"""

from datetime import timedelta

import networkx
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kiezwerk.core.services import audit_record
from kiezwerk.network.models import OrganisationKind

from ..models import Kind, Material, ProjectTemplate, Task

MAX_OFFSET_DAYS = 365


def template_check(*, tasks, materials, partner_kinds, figures):
    """The template's lists cleaned; ValidationError (translated, naming the row) for a bad one.

    tasks: [{"title", "days_before", "after"}] with `after` the index of another task or None.
    """
    clean_tasks = []
    for number, task in enumerate(tasks, start=1):
        title = str(task.get("title", "")).strip()
        if not title:
            raise ValidationError(_("Task %(number)s has no title.") % {"number": number}, code="task")
        try:
            days = int(str(task.get("days_before", 0)).strip())
        except ValueError:
            days = None
        if days is None or not -MAX_OFFSET_DAYS <= days <= MAX_OFFSET_DAYS:
            raise ValidationError(
                _("Task %(number)s: the days before the action must be a whole number from %(low)s to %(high)s.")
                % {"number": number, "low": -MAX_OFFSET_DAYS, "high": MAX_OFFSET_DAYS},
                code="offset",
            )
        after = task.get("after")
        if after is not None and (not isinstance(after, int) or not 0 <= after < len(tasks) or after == number - 1):
            raise ValidationError(
                _("Task %(number)s waits for a task that is not in the template.") % {"number": number}, code="after"
            )
        clean_tasks.append({"title": title, "days_before": days, "after": after})
    graph = networkx.DiGraph()
    graph.add_nodes_from(range(len(clean_tasks)))
    graph.add_edges_from((index, task["after"]) for index, task in enumerate(clean_tasks) if task["after"] is not None)
    try:
        cycle = networkx.find_cycle(graph)
    except networkx.NetworkXNoCycle:
        cycle = None
    if cycle:
        raise ValidationError(
            _("The tasks wait for each other in a circle: %(tasks)s.")
            % {"tasks": " → ".join(clean_tasks[a]["title"] for a, _b in [*cycle, cycle[0]])},
            code="cycle",
        )
    clean_materials = []
    for number, material in enumerate(materials, start=1):
        name = str(material.get("name", "")).strip()
        try:
            quantity = int(material.get("quantity", 1))
        except (TypeError, ValueError):
            quantity = 0
        if not name or quantity < 1:
            raise ValidationError(
                _("Material %(number)s needs a name and a quantity of at least 1.") % {"number": number},
                code="material",
            )
        clean_materials.append({"name": name, "quantity": quantity})
    unknown = [kind for kind in partner_kinds if kind not in OrganisationKind.values]
    if unknown:
        raise ValidationError(_("Unknown kind of partner: %(kinds)s.") % {"kinds": ", ".join(unknown)}, code="kind")
    clean_figures, keys = [], set()
    for number, figure in enumerate(figures, start=1):
        label = str(figure.get("label", "")).strip()
        key = str(figure.get("key", "")).strip() or f"figure_{number}"
        if not label or key in keys:
            raise ValidationError(_("Figure %(number)s needs a name of its own.") % {"number": number}, code="figure")
        keys.add(key)
        clean_figures.append({"key": key, "label": label, "unit": str(figure.get("unit", "")).strip()})
    return {
        "tasks": clean_tasks,
        "materials": clean_materials,
        "partner_kinds": list(dict.fromkeys(partner_kinds)),
        "figures": clean_figures,
    }


@transaction.atomic
def template_save(*, district, actor, name, kind, description="", template=None, **lists):
    """Create or change a template after `template_check`; audited."""
    cleaned = template_check(**lists)
    name = name.strip()
    if ProjectTemplate.objects.filter(district=district, name=name).exclude(pk=getattr(template, "pk", None)).exists():
        raise ValidationError({"name": _("The district already has a template of this name.")}, code="name")
    created = template is None
    template = template or ProjectTemplate(district=district)
    template.name, template.kind, template.description = name, kind, description.strip()
    for field, value in cleaned.items():
        setattr(template, field, value)
    template.save()
    audit_record(
        actor=actor,
        verb="project_template.created" if created else "project_template.changed",
        target=template,
        district=district,
        name=name,
    )
    return template


@transaction.atomic
def template_delete(*, template, actor):
    audit_record(
        actor=actor, verb="project_template.deleted", target=template, district=template.district, name=template.name
    )
    template.delete()


def template_apply(*, project, template):
    """Give a new project the template's tasks (due relative to the action's date) and materials."""
    tasks = []
    for position, spec in enumerate(template.tasks):
        due = project.starts_on - timedelta(days=spec["days_before"]) if project.starts_on else None
        tasks.append(Task.objects.create(project=project, title=spec["title"], due_on=due, position=position))
    for task, spec in zip(tasks, template.tasks, strict=True):
        if spec.get("after") is not None:
            task.after = tasks[spec["after"]]
            task.save(update_fields=["after"])
    Material.objects.bulk_create(
        Material(project=project, name=spec["name"], needed=spec["quantity"], position=position)
        for position, spec in enumerate(template.materials)
    )


# The three templates every district starts with (German, as the team writes them; the team edits them).
SHIPPED = [
    {
        "kind": Kind.LITTER,
        "name": "Müllsammelaktion",
        "description": "Nachbarinnen und Nachbarn sammeln gemeinsam Müll in einer Straße oder Grünanlage.",
        "tasks": [
            {"title": "Container beim Amt für Abfallwirtschaft bestellen", "days_before": 21, "after": None},
            {"title": "Genehmigung für die Fläche beim Grünflächenamt einholen", "days_before": 28, "after": None},
            {"title": "Aushang im Haus und in den Geschäften", "days_before": 14, "after": None},
            {"title": "Abholung der Säcke mit dem Amt abstimmen", "days_before": 7, "after": 0},
            {"title": "Material zählen und ausgeben", "days_before": 1, "after": None},
        ],
        "materials": [
            {"name": "Handschuhe (Paar)", "quantity": 30},
            {"name": "Müllsäcke", "quantity": 60},
            {"name": "Greifzangen", "quantity": 20},
            {"name": "Container", "quantity": 1},
        ],
        "partner_kinds": [OrganisationKind.CITY_OFFICE, OrganisationKind.HOUSING, OrganisationKind.SCHOOL],
        "figures": [
            {"key": "litter_kg", "label": "Müll", "unit": "kg"},
            {"key": "bags", "label": "Säcke", "unit": ""},
        ],
    },
    {
        "kind": Kind.GARDEN,
        "name": "Gartentag / Pflanzaktion",
        "description": "Ein Beet, eine Baumscheibe oder ein Gemeinschaftsgarten wird gemeinsam bepflanzt und gepflegt.",
        "tasks": [
            {"title": "Fläche mit dem Grünflächenamt abstimmen", "days_before": 28, "after": None},
            {"title": "Pflanzen und Erde bestellen", "days_before": 14, "after": 0},
            {"title": "Wasseranschluss oder Gießkannen klären", "days_before": 7, "after": None},
            {"title": "Gießpatenschaften für die Wochen danach verabreden", "days_before": -7, "after": None},
        ],
        "materials": [
            {"name": "Pflanzen", "quantity": 50},
            {"name": "Säcke Erde", "quantity": 10},
            {"name": "Spaten", "quantity": 6},
            {"name": "Gießkannen", "quantity": 6},
        ],
        "partner_kinds": [OrganisationKind.CITY_OFFICE, OrganisationKind.ASSOCIATION, OrganisationKind.BUSINESS],
        "figures": [
            {"key": "plants", "label": "Pflanzen", "unit": ""},
            {"key": "area_m2", "label": "Fläche", "unit": "m²"},
        ],
    },
    {
        "kind": Kind.PARTY,
        "name": "Straßenfest",
        "description": "Ein Fest für die Nachbarschaft auf einer gesperrten Straße oder einem Platz.",
        "tasks": [
            {
                "title": "Sondernutzung und Straßensperrung beim Ordnungsamt beantragen",
                "days_before": 56,
                "after": None,
            },
            {"title": "Vereine und Initiativen für Stände anfragen", "days_before": 42, "after": None},
            {"title": "Container für den Müll beim Amt für Abfallwirtschaft bestellen", "days_before": 21, "after": 0},
            {"title": "Programm und Plakat fertigstellen", "days_before": 21, "after": 1},
            {"title": "Anwohnende über die Sperrung informieren", "days_before": 7, "after": 0},
        ],
        "materials": [
            {"name": "Biertischgarnituren", "quantity": 15},
            {"name": "Pavillons", "quantity": 4},
            {"name": "Container", "quantity": 1},
            {"name": "Absperrgitter", "quantity": 10},
        ],
        "partner_kinds": [
            OrganisationKind.CITY_OFFICE,
            OrganisationKind.ASSOCIATION,
            OrganisationKind.RELIGIOUS,
            OrganisationKind.BUSINESS,
        ],
        "figures": [{"key": "visitors", "label": "Besucherinnen und Besucher", "unit": ""}],
    },
]


def templates_ship(*, district):
    """Give a district the three shipped templates it does not have yet (by name). Returns those created."""
    created = []
    for spec in SHIPPED:
        if not ProjectTemplate.objects.filter(district=district, name=spec["name"]).exists():
            created.append(ProjectTemplate.objects.create(district=district, **spec))
    return created
