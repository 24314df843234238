"""templates/includes/_error_summary.html: one error summary for every form in the portal."""

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    name = forms.CharField(label="Name")
    colour = forms.ChoiceField(
        label="Colour", choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect
    )


class _Row(forms.Form):
    board = forms.CharField(label="Board", max_length=3)


_Rows = forms.formset_factory(_Row, extra=0)


def _render(**context) -> str:
    return render_to_string("includes/_error_summary.html", context)


def test_it_renders_nothing_for_a_valid_form():
    form = _Form({"name": "x", "colour": "r"})
    assert form.is_valid()
    assert _render(form=form).strip() == ""


def test_each_error_links_to_its_field_with_the_label_in_front():
    html = _render(form=_Form({}))
    assert "There is a problem" in html
    assert '<a href="#id_name">Name: This field is required.</a>' in html
    # A radio group has no single label target: link to the group itself.
    assert '<a href="#id_colour">Colour: This field is required.</a>' in html


def test_errors_only_leaves_the_label_out():
    html = _render(form=_Form({}), errors_only=True)
    assert '<a href="#id_name">This field is required.</a>' in html


def test_a_formsets_row_errors_name_the_row():
    rows = _Rows(
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-board": "A",
            "form-1-board": "ABCD",
        }
    )
    form = _Form({"name": "x", "colour": "r"})
    assert form.is_valid() and not rows.is_valid()
    html = _render(form=form, formset=rows, formset_item="Expected board")
    assert "Expected board 1" not in html
    assert (
        '<a href="#id_form-1-board">Expected board 2, board: '
        "Ensure this value has at most 3 characters (it has 4).</a>"
    ) in html
