"""Pure parts of the served app: the message throttle and the page rules."""

from __future__ import annotations

from rdlearn.app import PAGE_PATTERN, MessageThrottle


def test_a_flood_is_cut_to_the_burst_and_then_the_steady_rate():
    now = [0.0]
    throttle = MessageThrottle(burst=400, per_second=200, close_after=2000, clock=lambda: now[0])
    allowed = sum(throttle.allow() for _ in range(1000))  # 1,000 messages in one instant
    assert (allowed, throttle.dropped, throttle.should_close) == (400, 600, False)
    allowed += sum(throttle.allow() for _ in range(4000))
    assert allowed == 400
    assert throttle.dropped == 4600
    assert throttle.should_close
    now[0] += 1.0  # one quiet second later the page may talk again
    assert sum(throttle.allow() for _ in range(300)) == 200


def test_an_ordinary_page_is_never_throttled():
    now = [0.0]
    throttle = MessageThrottle(clock=lambda: now[0])
    for _ in range(60):  # a minute of dragging a slider: 60 messages a second
        for _ in range(60):
            assert throttle.allow()
            now[0] += 1 / 60
    assert throttle.dropped == 0


def test_only_numbered_pages_are_pages():
    assert PAGE_PATTERN.match("03_deepening-relating-with-clients.ipynb")
    for name in ("welcome.ipynb", "../00_welcome.ipynb", "03_x.ipynb.bak", "3_x.ipynb"):
        assert not PAGE_PATTERN.match(name)
