"""The outbox's vocabulary: every template has a pure renderer, every enqueue site names a
`Template` member, and rows queued by an older version (with fewer params) still render."""

from __future__ import annotations

import ast
import json
from datetime import UTC, datetime
from pathlib import Path

from bot.context import Services
from bot.services.delivery_facts import Facts
from bot.views.outbox import RENDERERS, Scene
from bot.wiring import render_delivery
from storage.outbox import Delivery
from storage.statuses import Status
from storage.templates import Template
from tests.bot.services.test_applications import fill, started
from tests.conftest import FakeClock

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [path for folder in ("bot", "storage") for path in (ROOT / folder).rglob("*.py")]
HOME = ROOT / "storage" / "templates.py"
# "broadcast" is also a delivery kind, a command and a permission: not a template there.
ALSO_ANOTHER_WORD = {Template.BROADCAST.value}


def test_every_template_has_a_renderer() -> None:
    assert set(RENDERERS) == set(Template)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_no_template_is_spelled_out_outside_its_home() -> None:
    values = {template.value for template in Template} - ALSO_ANOTHER_WORD
    spelled = []
    for path in SOURCES:
        if path == HOME:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = _docstrings(tree)
        spelled += [
            f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and node.value in values
            and id(node) not in docstrings
        ]
    assert spelled == []


def _template_argument(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "template":
            return keyword.value
    return call.args[2] if len(call.args) > 2 else None


def test_every_enqueue_site_names_a_template_member() -> None:
    """`NewDelivery(..., Template.X, ...)`, or a variable that mypy checks is a `Template`;
    never a string."""
    sites = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "NewDelivery":
                argument = _template_argument(node)
                sites.append((f"{path.relative_to(ROOT)}:{node.lineno}", argument))
    assert len(sites) >= 6  # decisions, reminders, team notices, error reports, crash, report
    for where, argument in sites:
        member = (
            isinstance(argument, ast.Attribute)
            and isinstance(argument.value, ast.Name)
            and argument.value.id == "Template"
        )
        assert member or isinstance(argument, ast.Name | ast.Attribute), where
        assert not isinstance(argument, ast.Constant | ast.JoinedStr), where
    # The one bulk insert (a broadcast's recipients) binds its template as a member too.
    broadcasts = (ROOT / "storage" / "broadcasts.py").read_text("utf-8")
    assert "Template.BROADCAST," in broadcasts


def test_a_renderer_needs_no_database(services: Services) -> None:
    """The params and the facts are all a renderer gets: here, no database is touched."""
    t = services.i18n.translator("fr")
    scene = Scene(
        t, services.catalogue, datetime(2026, 12, 5, tzinfo=UTC), "fr", Facts(Status.ACCEPTED)
    )
    params = {
        "application_id": 7,
        "status": "accepted",
        "reason": None,
        "deadline": "2026-12-08T22:59:59+00:00",
        "reference": "IFR-1-0007",
        "phase_code": "ifrane-1",
        "trainings": ["ifrane-1-admin"],
    }
    outgoing = RENDERERS[Template.DECISION](scene, params)
    assert outgoing is not None
    assert "IFR-1-0007" in outgoing.text and "Gestion administrative" in outgoing.text
    stale = Scene(t, services.catalogue, scene.now, "fr", Facts(Status.WITHDRAWN))
    assert RENDERERS[Template.DECISION](stale, params) is None


async def test_rows_queued_with_the_old_params_still_render_the_same(
    services: Services, clock: FakeClock
) -> None:
    """Before issue 14, a decision carried only its id, status, reason and deadline, and a
    reminder only its application's id: such rows may wait in a live database."""
    clock.now = datetime(2026, 12, 5, 10, tzinfo=UTC)
    applications = services.applications
    await services.users.touch(1, "Fatima", clock())
    await started(applications, 1)
    draft = await fill(applications, 1, {"trainings": ["ifrane-1-admin"]})
    submitted = await applications.submit(draft)
    assert submitted is not None and not isinstance(submitted, tuple)
    await applications.set_status(submitted.id, Status.ACCEPTED, actor_id=9)  # type: ignore[union-attr]
    rows = await services.db.fetchall(
        "SELECT id, recipient_id, kind, template, params FROM deliveries"
        " WHERE template IN ('decision', 'confirm_soon') AND status = 'pending' ORDER BY id"
    )
    assert [row["template"] for row in rows] == ["decision", "confirm_soon"]
    old_keys = {"decision": {"application_id", "status", "reason", "deadline"}}
    for row in rows:
        params = json.loads(row["params"])
        kept = old_keys.get(row["template"], {"application_id"})
        old_params = {key: value for key, value in params.items() if key in kept}
        assert set(old_params) < set(params)
        new, old = (
            Delivery(row["id"], row["recipient_id"], row["kind"], row["template"], given, 1, "ar")
            for given in (params, old_params)
        )
        rendered = await render_delivery(services, new)
        assert rendered is not None
        assert rendered == await render_delivery(services, old), row["template"]
