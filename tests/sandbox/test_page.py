"""The sandbox in a real browser: `python -m bot.sandbox` started as people start it, its page
opened in headless Chromium (the system's, driven by Selenium and the system's chromedriver),
and three people using the real bot through it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests.e2e.bot_process import ROOT, free_port

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None or DRIVER is None,
        reason="no system Chromium and chromedriver (.ci/run installs them)",
    ),
    pytest.mark.timeout(180),
]
FATIMA, KHADIJA, SAMIRA = 1001, 2002, 3003  # bot/sandbox/__main__.py's people


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("sandbox")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    log = (data / "sandbox.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.sandbox", "--port", str(port), "--data", str(data)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(url + "api/people", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the sandbox did not start:\n" + Path(data / "sandbox.log").read_text())
        time.sleep(0.2)
    yield url
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0, Path(data / "sandbox.log").read_text()
    assert "Traceback" not in (data / "bot.log").read_text()


@pytest.fixture(scope="module")
def browser(sandbox: str) -> Iterator[WebDriver]:
    options = Options()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,900"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.get(sandbox)
    yield driver
    driver.quit()


def phone(browser: WebDriver, user: int) -> WebElement:
    return browser.find_element(By.CSS_SELECTOR, f'.phone[data-user="{user}"]')


def write(browser: WebDriver, user: int, text: str) -> None:
    box = phone(browser, user).find_element(By.CSS_SELECTOR, "input.text")
    box.send_keys(text)
    phone(browser, user).find_element(By.CSS_SELECTOR, "button.send").click()


# The page draws again a message that changed (an edit): the tests find and use elements in
# one script each, so that none goes stale between finding it and using it.
NEWEST_BUBBLE = """
const [user, side, contains] = arguments;
const found = [...document.querySelectorAll(`.phone[data-user="${user}"] .bubble.${side}`)]
  .filter((b) => b.textContent.includes(contains));
const bubble = found[found.length - 1];
if (!bubble) return null;
const text = bubble.querySelector(".text");
return {
  text: bubble.textContent,
  rtl: text ? text.matches(":dir(rtl)") : null,
  link: bubble.querySelector("a") ? bubble.querySelector("a").href : null,
};
"""
CLICK_BUTTON = """
const [user, selector, label] = arguments;
const found = [...document.querySelectorAll(`.phone[data-user="${user}"] ${selector}`)]
  .filter((b) => label === null || b.textContent.includes(label));
const button = found[found.length - 1];
if (!button) return null;
button.click();
return button.textContent;
"""


def wait_for_bubble(
    browser: WebDriver, user: int, contains: str, side: str = "bot"
) -> dict[str, object]:
    found: dict[str, object] = WebDriverWait(browser, 20).until(
        lambda _: browser.execute_script(NEWEST_BUBBLE, user, side, contains)
    )
    return found


def click_button(
    browser: WebDriver, user: int, label: str | None, selector: str = ".bubble.bot .inline button"
) -> str:
    """Click the newest button (inline by default) whose label contains `label` (any: None)."""
    clicked: str = WebDriverWait(browser, 20).until(
        lambda _: browser.execute_script(CLICK_BUTTON, user, selector, label)
    )
    return clicked


def test_three_people_use_the_real_bot_side_by_side(browser: WebDriver) -> None:
    names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".phone .name")]
    assert names == ["Fatima", "Khadija", "Samira"]

    # Fatima chooses Arabic: the menu comes in Arabic, drawn right to left.
    write(browser, FATIMA, "/start")
    click_button(browser, FATIMA, "العربية")
    menu = wait_for_bubble(browser, FATIMA, "مرحبا")
    assert menu["rtl"] is True
    assert wait_for_bubble(browser, FATIMA, "/start", side="user")["rtl"] is False
    click_button(browser, FATIMA, "الترشح")
    wait_for_bubble(browser, FATIMA, "سوق")

    # Khadija writes in French and sends the sample photo at the menu: the bot answers.
    write(browser, KHADIJA, "/start")
    click_button(browser, KHADIJA, "Français")
    wait_for_bubble(browser, KHADIJA, "Que voulez-vous faire")
    phone(browser, KHADIJA).find_element(By.CSS_SELECTOR, "button.photo").click()
    photo = WebDriverWait(browser, 20).until(
        lambda _: phone(browser, KHADIJA).find_elements(By.CSS_SELECTOR, ".bubble.user img")
    )[0]
    WebDriverWait(browser, 10).until(
        lambda _: browser.execute_script("return arguments[0].naturalWidth", photo) == 640
    )
    wait_for_bubble(browser, KHADIJA, "assistant automatique")

    # Samira, the organizer, exports: the files come as links that download them.
    write(browser, SAMIRA, "/start")
    click_button(browser, SAMIRA, "Français")
    wait_for_bubble(browser, SAMIRA, "Que voulez-vous faire")
    write(browser, SAMIRA, "/export")
    link = wait_for_bubble(browser, SAMIRA, ".xlsx")["link"]
    assert isinstance(link, str)
    workbook = httpx.get(link, timeout=5)
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"  # a zip: an .xlsx


def test_the_share_contact_key_sends_the_persons_phone(browser: WebDriver) -> None:
    """The phone question's keyboard replaces the phone's: its button shares the contact."""
    write(browser, KHADIJA, "/apply")
    click_button(browser, KHADIJA, "Ifrane")
    click_button(browser, KHADIJA, "Phase 1")
    click_button(browser, KHADIJA, "J'accepte")
    wait_for_bubble(browser, KHADIJA, "forme de votre structure")
    # A cooperative's questions up to the phone: a button (the first offered) or a text.
    steps = ["Coopérative", "Coopérative Tamount", "1234/2019", None, "Azrou", None, "Miel"]
    steps += ["12", "8", None, "Khadija Amrani"]
    for number, step in enumerate(steps, start=2):
        if step is None or step == "Coopérative":
            click_button(
                browser, KHADIJA, step, ".bubble.bot:last-child .inline button:first-child"
            )
        else:
            write(browser, KHADIJA, step)
        if number <= len(steps):
            wait_for_bubble(browser, KHADIJA, f"Question {number} ")

    assert "📱" in click_button(browser, KHADIJA, None, ".keyboard button")
    wait_for_bubble(browser, KHADIJA, "212661000002", side="user")
    wait_for_bubble(browser, KHADIJA, "stand")  # the next question: the phone was taken


NEWEST = """
const [user] = arguments;
const phone = document.querySelector(`.phone[data-user="${user}"]`);
const bots = [...phone.querySelectorAll(".bubble.bot")];
const last = bots[bots.length - 1];
return {
  id: last ? Number(last.dataset.id) : 0,
  text: last ? last.textContent : "",
  buttons: last ? [...last.querySelectorAll(".inline button")].map((b) => b.textContent) : [],
  keys: [...phone.querySelectorAll(".keyboard button")].map((b) => b.textContent),
};
"""


def newest(browser: WebDriver, user: int) -> dict[str, Any]:
    found: dict[str, Any] = browser.execute_script(NEWEST, user)
    return found


def after(browser: WebDriver, user: int, action: Callable[[], object]) -> dict[str, Any]:
    """Do `action`, then wait for the bot's next message (a bubble newer than the newest)."""
    before = newest(browser, user)["id"]
    action()
    WebDriverWait(browser, 20).until(lambda _: newest(browser, user)["id"] > before)
    time.sleep(0.3)  # a question can come in two messages (a note, then the question)
    return newest(browser, user)


def apply_through_the_page(browser: WebDriver, user: int, typed: str, number: str) -> str:
    """Answer every question from the page as a member would: the first choice offered, the
    first of several ticked then Done, optional photos skipped, typed answers, the contact
    shared; then send. Returns the confirmation's text."""
    shown = newest(browser, user)
    for _ in range(30):
        buttons = [b for b in shown["buttons"] if not b.startswith("🔊")]
        if shown["keys"]:
            shown = after(
                browser, user, lambda: click_button(browser, user, None, ".keyboard button")
            )
        elif any(b.startswith("📨") for b in buttons):
            return str(after(browser, user, lambda: click_button(browser, user, "📨"))["text"])
        elif any(b.startswith("✔️") for b in buttons):
            click_button(browser, user, buttons[0])
            WebDriverWait(browser, 20).until(
                lambda _: "✅" in "".join(newest(browser, user)["buttons"])
            )
            shown = after(browser, user, lambda: click_button(browser, user, "✔️"))
        elif buttons and all(b.startswith("⏭️") for b in buttons):
            shown = after(browser, user, lambda: click_button(browser, user, "⏭️"))
        elif buttons:
            first = buttons[0]
            shown = after(browser, user, lambda first=first: click_button(browser, user, first))
        else:
            text = number if "عدد" in shown["text"] else typed
            shown = after(browser, user, lambda text=text: write(browser, user, text))
    raise AssertionError(f"no summary after 30 steps: {shown}")


def test_a_member_applies_in_arabic_and_an_organizer_accepts(browser: WebDriver) -> None:
    """The whole journey on the page: Fatima applies in Arabic, Samira accepts from /review,
    and Fatima's phone shows the decision with its Confirm button. With SANDBOX_SCREENSHOTS=
    <folder>, each side is saved there (the README's pictures: docs/)."""
    write(browser, FATIMA, "/apply")
    click_button(browser, FATIMA, "إفران")
    click_button(browser, FATIMA, "2")  # phase 2: the French member took a place in phase 1
    after(browser, FATIMA, lambda: click_button(browser, FATIMA, "✅"))  # the consent
    sent = apply_through_the_page(browser, FATIMA, "تعاونية النور", "12")
    reference = re.search(r"IFR-2-\d{4}", sent)
    assert reference, sent

    write(browser, SAMIRA, f"/app {reference.group(0)}")
    wait_for_bubble(browser, SAMIRA, reference.group(0))
    click_button(browser, SAMIRA, "Accepter")
    decision = wait_for_bubble(browser, FATIMA, reference.group(0))
    assert decision["rtl"] is True
    click_button(browser, FATIMA, "✅")  # "I confirm my presence", in Arabic
    wait_for_bubble(browser, FATIMA, "✅", side="bot")

    folder = os.environ.get("SANDBOX_SCREENSHOTS")
    if folder:
        browser.set_window_size(1500, 1000)
        browser.execute_script(
            "for (const list of document.querySelectorAll('.messages'))"
            " list.scrollTop = list.scrollHeight;"
        )
        for user, name in ((FATIMA, "sandbox-member.png"), (SAMIRA, "sandbox-organizer.png")):
            phone(browser, user).screenshot(str(Path(folder) / name))
