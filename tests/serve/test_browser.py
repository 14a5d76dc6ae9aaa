"""The three pages in a real headless Chromium, driven by Playwright's sync API.

Screenshots of each page go to $SINIR_SCREENSHOTS (else a temporary folder) for a person to look at.
"""
import os
from pathlib import Path

import numpy as np
import pytest

from sinir import lessons

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = Path(os.environ.get("SINIR_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser, request):
    locale = getattr(request, "param", "en-US")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors


def test_draw_a_seven_with_the_mouse(page, live_server, screenshots):
    page.goto(f"{live_server}/draw")
    box = page.locator("#pad").bounding_box()

    def stroke(*points):
        page.mouse.move(box["x"] + points[0][0] * box["width"], box["y"] + points[0][1] * box["height"])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"], steps=15)
        page.mouse.up()

    stroke((0.25, 0.2), (0.75, 0.2))            # the top bar
    stroke((0.75, 0.2), (0.45, 0.85))           # the diagonal
    # the answer to the second stroke's request is on the page (or an error is)
    page.wait_for_function("document.getElementById('digit').dataset.shown === '2' "
                           "|| document.getElementById('error').textContent !== ''")
    assert page.get_attribute("#digit", "data-requested") == "2"
    assert page.inner_text("#error") == ""
    assert page.inner_text("#digit") == "7"
    probabilities = [float(page.text_content(f'.value[data-digit="{d}"]')) for d in range(10)]
    assert int(np.argmax(probabilities)) == 7 and abs(sum(probabilities) - 1) < 0.01
    assert page.locator("#feature-maps .maps").count() == 2              # LeNet-5's two convolutions
    assert page.locator("#feature-maps .maps").nth(0).locator("canvas").count() == 6
    page.screenshot(path=str(screenshots / "draw.png"), full_page=True)
    page.click("#clear")
    assert page.inner_text("#digit") == "?"


def test_draw_a_seven_with_a_finger(browser, live_server):
    context = browser.new_context(viewport={"width": 800, "height": 900}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{live_server}/draw")
    box = page.locator("#pad").bounding_box()
    touch = context.new_cdp_session(page)         # real touch events, as a phone's screen sends them

    def stroke(*points):
        spots = [{"x": box["x"] + x * box["width"], "y": box["y"] + y * box["height"]} for x, y in points]
        touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [spots[0]]})
        for start, end in zip(spots, spots[1:]):
            for t in np.linspace(0, 1, 12)[1:]:
                spot = {"x": start["x"] + t * (end["x"] - start["x"]), "y": start["y"] + t * (end["y"] - start["y"])}
                touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [spot]})
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    stroke((0.25, 0.2), (0.75, 0.2))
    stroke((0.75, 0.2), (0.45, 0.85))
    page.wait_for_function("document.getElementById('digit').dataset.shown === '2' "
                           "|| document.getElementById('error').textContent !== ''")
    assert page.inner_text("#error") == "" and page.inner_text("#digit") == "7"
    context.close()


def test_backprop_steps_to_the_lessons_exact_new_w_kl(page, live_server, screenshots):
    page.goto(f"{live_server}/backprop")
    page.wait_for_function("document.getElementById('w_kl_0_0').textContent !== ''")
    assert float(page.text_content("#w_kl_0_0")) == 0.1
    for phase in ("forward", "error", "backward", "update"):
        page.click(f"#phase-{phase}")
        page.wait_for_function(f"document.getElementById('network').dataset.phase === '{phase}'")
        if phase == "backward":
            page.check("#slide-switch")
            page.screenshot(path=str(screenshots / "backprop.png"), full_page=True)
    shown = np.array([[float(page.text_content(f"#w_kl_{k}_{l}")) for l in range(3)] for k in range(3)])
    exact = next(step for step in lessons.run("backprop-3333", "en").to_json()["steps"]
                 if step["id"] == "exact-w-kl")["computed"]
    np.testing.assert_allclose(shown, exact, atol=1e-6)            # the page shows six significant digits
    # the slide's numbers beside the exact ones
    assert page.locator("#values td.slide").count() > 0
    page.screenshot(path=str(screenshots / "backprop-update.png"), full_page=True)
    # Forward again: the second step starts from the new weights
    page.click("#phase-forward")
    page.wait_for_function("document.getElementById('network').dataset.phase === 'forward'")
    assert page.text_content("#iteration").endswith("2")
    assert float(page.text_content("#w_kl_0_0")) == shown[0, 0]


@pytest.mark.parametrize("page", ["tr-TR"], indirect=True)
def test_backprop_speaks_turkish_when_the_browser_asks(page, live_server):
    page.goto(f"{live_server}/backprop")
    page.wait_for_function("document.getElementById('w_kl_0_0').textContent !== ''")
    assert page.inner_text("#phase-forward") == "1 İleri"
    assert "geri yayılım" in page.inner_text("h1")
    page.click('.languages button[data-lang="en"]')
    assert page.inner_text("#phase-forward") == "1 Forward"


def test_train_one_epoch_and_watch_the_curves(page, live_server, screenshots):
    page.goto(f"{live_server}/train")
    page.wait_for_function("document.getElementById('images').options.length > 0")
    page.select_option("#model", "lenet5")
    page.select_option("#epochs", "1")
    page.select_option("#images", "1000")
    page.click("#start")
    page.wait_for_function("Number(document.getElementById('loss-chart').dataset.points) >= 3")
    page.wait_for_function("document.getElementById('status').dataset.state === 'done'")
    assert int(page.get_attribute("#loss-chart", "data-points")) == 16          # every batch of 1000 / 64
    assert int(page.get_attribute("#accuracy-chart", "data-points")) == 16
    assert "test accuracy" in page.inner_text("#status")
    page.screenshot(path=str(screenshots / "train.png"), full_page=True)
