"""Settings > Calling > Call settings: one small unit per calling feature on shared machinery.

- feature.py    Feature: key, label, access key, typed values (dataclass with the reference defaults),
                FlaskForm, template, overview summary, checks. features/<name>.py declare and register one.
- registry.py   every feature in overview order, or one by key (it imports features/, the list of them).
- numbers.py    the one number field: parsed with the location's country, E.164 or an existing extension,
                never the user's own number or extension; shown in the reader's format.
- saved_criteria.pycriteria of reference section 1 (table calling_criteria; schedule_id references a personal
                or location schedule, which the schedules area then refuses to delete).
- services.py   load (3 queries whatever the number of features and rules), save (version check, history),
                criteria_using_schedule(schedule_id).
- access.py     feature access: organization default, user override, open when no row.
"""
