"""Pure parts of the served app: the message throttle and the page rules."""

from __future__ import annotations

from rdlearn.serve.app import PAGE_PATTERN, MessageThrottle


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


class _FakePools:
    """Voilà's pooled kernel manager, reduced to what rdlearn adapts: futures in a list."""

    def __init__(self, pool):
        self._pools = {"01.ipynb": pool}
        self.kernels = {}

    async def get_rendered_notebook(self, notebook_name, extra_kernel_env_variables=None):
        content = await self._pools[notebook_name].pop(0)  # Voilà awaits the first item
        return None, [], content["kernel_id"]

    def __contains__(self, kernel_id):
        return kernel_id in self.kernels

    def fill_if_needed(self, delay=None, notebook_name=None):
        pass  # a failed kernel's replacement: not what these tests look at

    def get_kernel(self, kernel_id):
        return self.kernels[kernel_id]


def _kernel_future(loop, kernel_id=None, error=None):
    future = loop.create_future()
    if error is not None:
        future.set_exception(error)
    elif kernel_id is not None:
        future.set_result({"kernel_id": kernel_id})
    return future  # neither: a refill still waiting out its delay


def test_a_refill_still_waiting_does_not_count_as_a_kernel_for_the_next_visitor():
    import asyncio
    import types

    from rdlearn.serve.app import adapt_pools

    async def scenario():
        loop = asyncio.get_running_loop()
        waiting = _kernel_future(loop)
        failed = _kernel_future(loop, error=RuntimeError("kernel died"))
        km = _FakePools([waiting, failed])
        adapt_pools(km)
        # nothing ready: the page handler starts a kernel of the visitor's own
        assert km.get_pool_size("01.ipynb") == 0
        km._pools["01.ipynb"].append(_kernel_future(loop, "k-ready"))
        km.kernels["k-ready"] = types.SimpleNamespace(last_activity=None)
        assert km.get_pool_size("01.ipynb") == 1
        # the ready kernel is handed out at once, ahead of the refill still sleeping
        _task, _cache, kernel_id = await asyncio.wait_for(
            km.get_rendered_notebook(notebook_name="01.ipynb"), timeout=5)
        assert kernel_id == "k-ready"
        assert km.kernels["k-ready"].last_activity is not None  # the culler leaves it alone
        assert waiting in km._pools["01.ipynb"] and not waiting.done()
        failed.exception()  # retrieved, so asyncio does not warn about it

    asyncio.run(scenario())


class _RefillingPools(_FakePools):
    """A pool that refills as Voilà does: up to its configured size after each take."""

    def __init__(self, loop, size):
        self.loop = loop
        self.kernel_pools_config = {"01.ipynb": {"pool_size": size}}
        self.started = 0
        super().__init__([_kernel_future(loop, f"k{i}") for i in range(size)])

    async def get_rendered_notebook(self, notebook_name, extra_kernel_env_variables=None):
        result = await super().get_rendered_notebook(notebook_name)
        pool = self._pools[notebook_name]
        while len(pool) < self.kernel_pools_config[notebook_name]["pool_size"]:
            self.started += 1
            pool.append(_kernel_future(self.loop, f"refill{self.started}"))
        return result


def test_once_the_room_has_arrived_the_pool_keeps_a_reserve_not_a_second_room():
    import asyncio

    from rdlearn.serve.app import adapt_pools

    async def scenario():
        km = _RefillingPools(asyncio.get_running_loop(), 40)
        adapt_pools(km)
        for _ in range(40):  # the room arrives
            await km.get_rendered_notebook(notebook_name="01.ipynb")
        assert km.started == 5 and len(km._pools["01.ipynb"]) == 5
        for _ in range(3):  # late arrivals and reloads are still served warm
            await km.get_rendered_notebook(notebook_name="01.ipynb")
        assert km.started == 8 and len(km._pools["01.ipynb"]) == 5

    asyncio.run(scenario())


def test_a_kernel_that_failed_to_start_is_replaced_not_kept_in_the_pool():
    import asyncio

    from rdlearn.serve.app import adapt_pools, replace_failed

    async def scenario():
        loop = asyncio.get_running_loop()
        failed = _kernel_future(loop, error=RuntimeError("Address already in use"))
        km = _FakePools([failed, _kernel_future(loop, "k-ok")])
        refills = []
        km.fill_if_needed = lambda delay, notebook_name: refills.append((delay, notebook_name))
        assert replace_failed(km, "01.ipynb") == 1
        assert refills == [(0, "01.ipynb")] and failed not in km._pools["01.ipynb"]
        assert replace_failed(km, "01.ipynb") == 0 and len(refills) == 1
        km._pools["01.ipynb"].insert(0, _kernel_future(loop, error=RuntimeError("died")))
        adapt_pools(km)  # a visitor gets the working kernel, and the failed one is replaced
        _task, _cache, kernel_id = await km.get_rendered_notebook(notebook_name="01.ipynb")
        assert kernel_id == "k-ok" and len(refills) == 2

    asyncio.run(scenario())
