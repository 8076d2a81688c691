"""axe-core in a real browser: which WCAG 2.2 AA failures a page has, and which of them are Streamlit's own.

axe-core comes bundled in the pinned ``axe-playwright-python`` package, so nothing is downloaded at test time.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERIOUS = ("serious", "critical")
AXE = Axe()

# Failures that Streamlit's own markup causes, by axe rule and the Streamlit part they occur in. Each is checked
# against a page holding nothing but that part (tests/e2e/test_accessibility_e2e.py), and ACCESSIBILITY.md lists it.
STREAMLIT_OWN = {
    "list": "stSidebarNavItems",
    "listitem": "stSidebarNavItems",
    # A table wider than the screen scrolls inside a box that cannot take keyboard focus.
    "scrollable-region-focusable": "stTable",
}


@dataclass(frozen=True)
class Failure:
    rule: str
    impact: str
    target: str
    html: str
    help: str
    streamlit_part: str | None  # the Streamlit part it sits in, when it is one of STREAMLIT_OWN

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}) at {self.target}: {self.help}\n    {self.html[:200]}"


def failures(page) -> list[Failure]:
    """Every node that fails a WCAG 2.0/2.1/2.2 A or AA rule on the page as it is now."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = node["target"][0] if isinstance(node["target"][0], str) else " ".join(node["target"][0])
            part = STREAMLIT_OWN.get(violation["id"])
            inside = part is not None and page.evaluate(
                "([selector, part]) => { const e = document.querySelector(selector);"
                " return !!(e && e.closest(`[data-testid=${part}]`)); }",
                [target, part],
            )
            found.append(
                Failure(
                    rule=violation["id"],
                    impact=violation["impact"] or "",
                    target=target,
                    html=node.get("html", ""),
                    help=violation["help"],
                    streamlit_part=part if inside else None,
                )
            )
    return found


def own_serious(found: list[Failure]) -> list[Failure]:
    """The serious or critical failures the app's own content causes."""
    return [f for f in found if f.impact in SERIOUS and f.streamlit_part is None]


def heading_levels(page) -> list[int]:
    return page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1]))")


def headings_in_order(levels: list[int]) -> bool:
    """One h1, first; no level skipped on the way down (h2 then h4 is a skip; h3 then h2 is fine)."""
    return levels[:1] == [1] and levels.count(1) == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))


def sideways_scroll(page) -> int:
    """How many CSS pixels the page scrolls sideways, leaving out data tables (which WCAG 1.4.10 allows to)."""
    return page.evaluate(
        """() => {
            const tables = [...document.querySelectorAll('[data-testid=stDataFrame], [data-testid=stTable]')];
            tables.forEach(t => t.style.setProperty('display', 'none', 'important'));
            const scrollers = [document.documentElement, ...document.querySelectorAll('[data-testid=stMain]')];
            const over = Math.max(...scrollers.map(e => e.scrollWidth - e.clientWidth));
            tables.forEach(t => t.style.removeProperty('display'));
            return over;
        }"""
    )


def cut_off_text(page) -> list[str]:
    """Text shown cut short: an ellipsis drawn by CSS over a longer text, a chart label shortened with '…', or chart
    text running past the edge of its chart."""
    return page.evaluate(
        """() => {
            const cut = [];
            for (const e of document.querySelectorAll('[data-testid=stMain] *')) {
                if (e.closest('[data-testid=stDataFrame]')) continue;
                const style = getComputedStyle(e);
                if (style.textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth + 1 && e.innerText.trim())
                    cut.push(e.innerText.trim().slice(0, 80));
            }
            for (const t of document.querySelectorAll('[data-testid=stMain] svg text')) {
                if (t.textContent.endsWith('…')) cut.push(t.textContent);
                const chart = t.closest('[data-testid=stVegaLiteChart]') || t.closest('svg');
                const [box, edge] = [t.getBoundingClientRect(), chart.getBoundingClientRect()];
                if (box.width && (box.left < edge.left - 1 || box.right > edge.right + 1))
                    cut.push(`${t.textContent} (past the chart's edge)`);
            }
            return cut;
        }"""
    )


def faint_chart_text(page, minimum: float = 4.5) -> list[str]:
    """Chart text (axis labels, titles, legends, labels on bars) below ``minimum`` contrast against white (1.4.3)."""
    return page.evaluate(
        """(minimum) => {
            const luminance = (rgb) => {
                const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            const faint = [];
            for (const t of document.querySelectorAll('[data-testid=stVegaLiteChart] svg text')) {
                if (!t.textContent.trim()) continue;
                const style = getComputedStyle(t);
                const rgb = (style.fill.match(/\\d+(\\.\\d+)?/g) || []).slice(0, 3).map(Number);
                if (rgb.length < 3) continue;
                const opacity = Number(style.fillOpacity || 1) * Number(style.opacity || 1);
                const shown = rgb.map(v => v * opacity + 255 * (1 - opacity));  // on white
                const ratio = 1.05 / (luminance(shown) + 0.05);
                if (ratio < minimum) faint.push(`${t.textContent.slice(0, 40)} (${ratio.toFixed(2)}:1)`);
            }
            return faint;
        }""",
        minimum,
    )
