"""Every write of insights: the evaluation index (a period scored and ranked, the indicators) and
the monthly reports (asked for, generated, sent, downloaded). The roll-up tables are written by
``insights.rollups`` (refresh and rebuild), a job of their own."""

from .evaluation import evaluate_period, evaluate_subdistrict, run_evaluation, save_indicator
from .reports import generate_report, monthly_run, record_download, request_report, send_report

__all__ = [
    "evaluate_period",
    "evaluate_subdistrict",
    "generate_report",
    "monthly_run",
    "record_download",
    "request_report",
    "run_evaluation",
    "save_indicator",
    "send_report",
]
