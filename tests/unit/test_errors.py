"""errors.DomainError and errors.show_on: messages reach the field they name, or the top of the form."""

from __future__ import annotations

import pytest
from wtforms import FieldList, Form, FormField, StringField

from userhub.errors import DomainError, StalePage, show_on


class Row(Form):
    number = StringField()


class ContactLike(Form):
    name = StringField()
    numbers = FieldList(FormField(Row), min_entries=2)


def test_a_message_goes_on_the_field_it_names_rows_included() -> None:
    form = ContactLike()
    show_on(form, DomainError(fields={"name": "Enter a name.", "numbers-1-number": ["Not a number.", "Twice."]}))
    assert form.name.errors == ["Enter a name."]
    assert form.numbers[1].form.number.errors == ["Not a number.", "Twice."]
    assert not form.numbers[0].form.number.errors and form.form_errors == []


def test_unknown_fields_and_form_level_messages_go_to_the_top_never_lost() -> None:
    form = ContactLike()
    show_on(form, DomainError("The list is full.", fields={"nickname": "Too long."}))
    assert form.form_errors == ["The list is full.", "Too long."]
    assert not form.name.errors


def test_a_view_may_say_which_field_a_refusal_without_field_is_about() -> None:
    form = ContactLike(prefix="busy")  # a prefixed form: fields are named busy-name in the posted data
    show_on(form, DomainError("This file is not a WAV audio file."), field="name")
    assert form.name.errors == ["This file is not a WAV audio file."] and form.form_errors == []


def test_a_message_already_on_the_field_is_not_repeated() -> None:
    form = ContactLike()
    form.name.errors = ["Enter a name."]
    show_on(form, DomainError(fields={"name": ["Enter a name.", "Too long."]}))
    assert form.name.errors == ["Enter a name.", "Too long."]


def test_a_form_level_message_the_error_places_on_a_field_is_shown_there_only() -> None:
    class Circle(DomainError):  # as the loop check's refusal: its message goes on the field it is about
        def placed_on(self, form):  # type: ignore[no-untyped-def]
            return {"name": list(self.form_errors)}

    form = ContactLike()
    show_on(form, Circle("Calls would go round in a circle."))
    assert form.name.errors == ["Calls would go round in a circle."] and form.form_errors == []


def test_checks_collect_every_problem_then_refuse_once() -> None:
    problems = DomainError()
    assert problems.require(True, "name", "Enter a name.") is True
    problems.raise_if_any()  # nothing wrong: no refusal
    assert problems.require(False, "name", "Enter a name.") is False
    problems.add(None, "Something about the whole form.")
    with pytest.raises(DomainError) as refused:
        problems.raise_if_any()
    assert refused.value.field_errors == {"name": ["Enter a name."]}
    assert refused.value.form_errors == ["Something about the whole form."]
    assert str(refused.value) == "Enter a name."


def test_renamed_follows_the_forms_names() -> None:
    error = DomainError("Somewhere.", fields={"phone_number": "Taken."}).renamed({"phone_number": "name"})
    form = ContactLike()
    show_on(form, error)
    assert form.name.errors == ["Taken."] and form.form_errors == ["Somewhere."]


def test_a_stale_page_is_a_conflict() -> None:
    assert StalePage(current={"version": 3}).status == 409
    assert not issubclass(StalePage, DomainError)  # nothing to correct on the form: the page is reloaded
