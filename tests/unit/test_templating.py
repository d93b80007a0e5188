"""The macros the tables call per row: exact output, escaping, order."""

from __future__ import annotations

from markupsafe import Markup

from capmatch.web.templating import templates


def score_breakdown_macro(components):
    return str(templates.env.get_template("_macros/scores.html").module.breakdown(components))


def badge(value, kind=""):
    return str(templates.env.get_template("_macros/ui.html").module.badge(value, kind))


def test_a_breakdown_lists_its_components_largest_first_under_a_summary_of_three():
    html = str(score_breakdown_macro({"<new>": 0.25, "skills": 0.9, "language": 0.5, "speed": 0.7}))
    assert html == (
        '<details class="breakdown-details">\n  <summary>Skill coverage 90%, Speed to deploy 70%, Language 50% …</summary>\n'
        '  <ul class="bars">'
        '<li><span>Skill coverage</span><meter min="0" max="1" value="0.9">90%</meter><span class="pct">90%</span></li>'
        '<li><span>Speed to deploy</span><meter min="0" max="1" value="0.7">70%</meter><span class="pct">70%</span></li>'
        '<li><span>Language</span><meter min="0" max="1" value="0.5">50%</meter><span class="pct">50%</span></li>'
        '<li><span>&lt;new&gt;</span><meter min="0" max="1" value="0.25">25%</meter><span class="pct">25%</span></li>'
        '</ul>\n</details>'
    )


def test_equal_components_keep_their_stored_order_and_a_short_breakdown_has_no_ellipsis():
    html = str(score_breakdown_macro({"language": 1.0, "skills": 1.0}))
    assert "<summary>Language 100%, Skill coverage 100%</summary>" in html
    assert html.index("Language</span>") < html.index("Skill coverage</span>")


def test_an_empty_breakdown_is_a_dash():
    assert score_breakdown_macro({}) == "—" and score_breakdown_macro(None) == "—"


def test_a_badge_escapes_text_but_not_markup():
    for _ in range(2):
        assert badge("a&b") == '<span class="badge badge-a&amp;b">a&amp;b</span>'
        assert badge(Markup("a&amp;b")) == '<span class="badge badge-a&amp;b">a&amp;b</span>'
        assert badge("partially_filled") == '<span class="badge badge-partially_filled">partially filled</span>'
        assert badge("requests", "role") == '<span class="badge badge-role">requests</span>'


def test_a_page_shows_the_breakdown_the_macro_renders_and_renders_each_one_once():
    from capmatch.web.fragments import score_breakdown

    env = templates.env
    components = {"skills": 0.5, "language": 1.0}
    first = score_breakdown(env, components)
    assert str(first) == score_breakdown_macro(components)
    assert score_breakdown(env, dict(components)) is first
    assert score_breakdown(env, {"skills": 0.5, "language": 0.9}) != first
    assert score_breakdown(env, {}) == "—" and score_breakdown(env, None) == "—"


def test_filter_options_mark_the_current_value_and_follow_a_new_reference_list():
    from capmatch.web.fragments import select_options

    env = templates.env
    countries = [("BEN", "Benin"), ("BRA", "Brazil & co")]
    html = str(select_options(env, countries, "BRA"))
    assert html == ('<option value="BEN">Benin</option>'
                    '<option value="BRA" selected>Brazil &amp; co</option>')
    assert 'selected' not in str(select_options(env, countries, None))
    renamed = [("BEN", "Bénin"), ("BRA", "Brésil")]
    assert "Bénin" in str(select_options(env, renamed, "BRA"))


def test_a_run_row_is_rendered_once_per_set_of_values_it_shows():
    from capmatch.proposals.queries import RunProposal
    from capmatch.web.fragments import run_row

    env = templates.env
    p = RunProposal(7, 1, 3, "Judge <senior>", 9, "Bench", "ABC", 0.8125, {"skills": 1.0}, "proposed")
    html = run_row(env, p)
    assert html.startswith('<tr id="proposal-7">') and html.endswith("</tr>\n")
    assert "Judge &lt;senior&gt;" in html and 'name="approve_one" value="7"' in html
    assert run_row(env, p._replace(breakdown={"skills": 1.0})) is html
    approved = run_row(env, p._replace(status="approved"))
    assert "approve_one" not in approved and "badge-approved" in approved
