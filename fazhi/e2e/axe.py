"""axe-core (vendored, static/vendor/axe-core) run in a real page, and the
page-structure checks every page shares (one h1, unique ids, at most one
``aria-current``). Used by the portal's accessibility test and the staff
page inventory.
"""

from fazhi.e2e.conftest import ROOT

AXE = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"

# WCAG 2.1 A and AA rules; only serious and critical violations are returned.
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""

DUPLICATE_IDS = """() => { const seen = {}, dup = [];
    document.querySelectorAll('[id]').forEach(e => { if (seen[e.id]) dup.push(e.id); seen[e.id] = 1; });
    return dup; }"""


def axe_violations(page) -> list[str]:
    """Serious and critical WCAG 2.1 AA violations on the page as it is now.

    The page's context needs ``bypass_csp=True``: axe is injected as a script tag.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def structure_problems(page, url: str) -> list[str]:
    """Exactly one h1, unique ids, at most one ``aria-current``."""
    problems = []
    if page.locator("h1").count() != 1:
        problems.append(f"{url}: h1 数量为 {page.locator('h1').count()}")
    if page.locator("[aria-current]").count() > 1:
        problems.append(f"{url}: aria-current 出现多次")
    dup = page.evaluate(DUPLICATE_IDS)
    if dup:
        problems.append(f"{url}: 重复的 id {dup}")
    return problems
