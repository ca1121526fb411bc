"""Pages of meetings: ``console`` (the list, the calendar, scheduling), ``detail`` (the meeting page,
its poster and iCalendar file), ``recording`` (each step posted from the meeting page),
``action_items`` (all action items and their progress), ``config`` (rules of procedure) — staff, under
/meetings/ — and ``portal`` (invitees and residents, /my/meetings/)."""
