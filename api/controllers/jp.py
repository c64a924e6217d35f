from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody

from api.auth import READERS, allow, provide_actor
from api.openapi import KEYED, problems
from api.schemas_jp import JpCalculate, JpCalculated
from registry.domain.actors import Actor
from registry.usecases.issuing import Registry
from registry.usecases.jp_calculation import calculate_with_history


class JpController(Controller):
    path = "/api/v1/jp"
    tags = ["jp"]
    security = KEYED
    dependencies = {"actor": Provide(provide_actor)}

    @post(
        "/calculate",
        guards=[allow(*READERS)],
        operation_id="calculateJp",
        responses=problems(body=True),
        status_code=200,
        sync_to_thread=True,
    )
    def calculate(
        self,
        data: JSONBody[JpCalculate],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
    ) -> JpCalculated:
        """JP a session log (or one activity) would credit, session by session; stores nothing.

        With `nip`, the caps also count what the employee's valid documents already credit
        (`history_counted`); a requester gets that only for employees rostered in its unit.
        """
        calculation = calculate_with_history(
            registry.db,
            data.to_question(),
            actor,
            rule_set=registry.settings.jp_rules,
            today=registry.local_today(),
        )
        return JpCalculated.from_calculation(calculation)
