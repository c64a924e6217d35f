"""An employee's Kartu Data Pengembangan Kompetensi: a PDF report, neither numbered nor stored."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery

from api.auth import AUDITOR, ISSUER, REQUESTER, allow, provide_actor
from api.openapi import KEYED, problems
from registry.domain.actors import Actor
from registry.usecases.issuing import Registry
from registry.usecases.kartu import KartuCards


def provide_cards(registry: NamedDependency[Registry]) -> KartuCards:
    return KartuCards(
        registry.db,
        registry.production,
        registry.links,
        zone=registry.settings.zone,
        today=registry.local_today,
    )


class KartuController(Controller):
    path = "/api/v1/employees"
    tags = ["employees"]
    security = KEYED
    dependencies = {
        "actor": Provide(provide_actor),
        "cards": Provide(provide_cards, sync_to_thread=False),
    }

    @get(
        "/{nip:str}/kartu",
        guards=[allow(ISSUER, AUDITOR, REQUESTER)],
        operation_id="getKartuData",
        responses=problems(lookup=True, renders=True),
        sync_to_thread=True,
        media_type="application/pdf",
    )
    def kartu(
        self,
        nip: FromPath[str],
        cards: NamedDependency[KartuCards],
        actor: NamedDependency[Actor],
        year: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        """The employee's Kartu Data Pengembangan Kompetensi for `year` (this year by default).

        A row per valid document of the year with the JP it counts that year, the year's total,
        the declaration and the signatures (the unit's head, else the agency's signer). A requester
        may print it only for an employee rostered in its unit (404 otherwise). 503 when PDF output
        is unavailable; nothing is numbered or stored.
        """
        card = cards.pdf(nip, year, actor)
        return Response(
            card.data,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="{card.filename}"',
                # Personal data (birth date, sex): no shared cache keeps it.
                "Cache-Control": "no-store",
            },
        )
