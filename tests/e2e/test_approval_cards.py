"""A call waiting for approval has one card, the approval card; after a decision it never shows
a status it does not have (issue 22, "The web app": approvals)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from harness.server import Server
from tests.e2e.helpers import converges_to_server, wait_status
from tests.e2e.test_approval import ask_until_paused

# Records every status any tool card shows from the next click on (a change of the page before
# it, a relative time or a late event, would record the status the card had until then).
STATUS_RECORDER = """
() => {
  window.__cardStatuses = [];
  let recording = false;
  const record = () => {
    if (!recording) return;
    for (const card of document.querySelectorAll('[data-testid="tool-call"]')) {
      const status = card.dataset.status;
      const seen = window.__cardStatuses;
      if (seen[seen.length - 1] !== status) seen.push(status);
    }
  };
  const observer = new MutationObserver(record);
  observer.observe(document.body, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
  document.addEventListener("click", () => {
    observer.takeRecords();
    recording = true;
  }, { capture: true, once: true });
}
"""


def test_a_pending_call_is_shown_once_inside_its_approval_card(
    page: Page, frontend_url: str, server: Server
) -> None:
    client, thread = ask_until_paused(page, frontend_url, server, ["*"], "北京和上海的天气如何？")

    cards = page.get_by_test_id("tool-call")
    approval = page.get_by_test_id("approval-card")
    expect(cards).to_have_count(2)
    expect(approval.get_by_test_id("tool-call")).to_have_count(2)  # every card is in it
    expect(approval.get_by_test_id("tool-status")).to_have_text(["waiting for approval"] * 2)
    # No empty answer bubble is left where the calls were.
    expect(page.get_by_test_id("message-assistant")).to_have_count(0)

    approval.get_by_test_id("approve-button").first.click()
    approval.get_by_test_id("approve-button").click()
    expect(approval).to_have_count(0)
    expect(cards).to_have_count(2)
    expect(
        page.get_by_test_id("message-assistant").first.get_by_test_id("tool-call")
    ).to_have_count(2)
    wait_status(page, "idle")
    converges_to_server(page, client, thread)


def test_a_rejected_call_is_declined_at_once_and_never_shown_running(
    page: Page, frontend_url: str, server: Server
) -> None:
    client, thread = ask_until_paused(page, frontend_url, server, ["get_weather"], "北京天气如何？")
    page.evaluate(STATUS_RECORDER)
    page.get_by_test_id("reject-button").click()

    call = page.get_by_test_id("tool-call")
    expect(call).to_have_attribute("data-status", "declined")
    wait_status(page, "idle")
    converges_to_server(page, client, thread)
    statuses: list[str] = page.evaluate("() => window.__cardStatuses")
    assert set(statuses) == {"declined"}, statuses
