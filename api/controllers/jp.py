from __future__ import annotations

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from api.auth import READERS, allow
from api.schemas_jp import JpCalculate, JpCalculated
from registry.usecases.issuing import Registry
from registry.usecases.jp_calculation import calculate_jp


class JpController(Controller):
    path = "/api/v1/jp"
    tags = ["jp"]

    @post(
        "/calculate",
        guards=[allow(*READERS)],
        operation_id="calculateJp",
        status_code=200,
        sync_to_thread=False,
    )
    def calculate(
        self, data: JSONBody[JpCalculate], registry: NamedDependency[Registry]
    ) -> JpCalculated:
        """JP a session log (or one activity) would credit, session by session; stores nothing.

        Caps count within the log only: the employee's earlier letters are not read yet.
        """
        calculation = calculate_jp(
            data.to_question(), rule_set=registry.settings.jp_rules, today=registry.local_today()
        )
        return JpCalculated.from_calculation(calculation)
