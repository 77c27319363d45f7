"""Export revealed draws for independent verification.

    python manage.py draw_export --all DIR
    python manage.py draw_export --draw 12 DIR

Writes ``DIR/draw-<id>/`` with ``receipt.json``, the three frozen pool files
(objects.tsv.gz, inspectors.tsv.gz, recusals.tsv.gz) and, for a
``fazhi-draw/2`` draw, ``params.json``. Draws whose seed is not revealed yet
are listed and skipped (they have no receipt yet).
"""

from fazhi.core.draw_export import DrawExportCommand
from fazhi.inspections import services
from fazhi.inspections.models import Draw, DrawStatus


class Command(DrawExportCommand):
    help = "导出随机抽取凭证及冻结名录，供 draw_verify 独立验证"
    model = Draw
    prefix = "draw"
    noun = "抽取"

    def revealed(self, draw) -> bool:
        return draw.status != DrawStatus.COMMITTED

    def export(self, draw, folder: str) -> str:
        return services.export_draw(draw, folder)
