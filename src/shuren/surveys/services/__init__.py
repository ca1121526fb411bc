"""Every write of surveys: drafting (the survey and its questions, in order), opening and closing,
and responses — online by residents, on paper entered by staff.

Each function runs in one transaction, checks the actor's right on the survey's place
(``surveys.manage`` for staff; for a resident, that the survey asks them), then the step with
``workflow.require``, validates with translatable messages naming the fields, and records an audit
event. One response per resident or per household is held by the database (``Participation``'s
unique constraint), whoever submits at the same moment.

``drafting`` (surveys and questions), ``responding`` (open, close, responses).
"""

from .drafting import add_question, create_survey, move_question, remove_question, update_question, update_survey
from .responding import AlreadyAnswered, close_survey, open_survey, record_paper_response, submit_response

__all__ = [
    "AlreadyAnswered",
    "add_question",
    "close_survey",
    "create_survey",
    "move_question",
    "open_survey",
    "record_paper_response",
    "remove_question",
    "submit_response",
    "update_question",
    "update_survey",
]
