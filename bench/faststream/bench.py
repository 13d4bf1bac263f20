"""FastStream on the runtime benchmark's scenarios, for the chart beside the typed and raw clients.

usage: python bench.py [--mqtt HOST:PORT] [--kafka HOST:PORT] [--messages N] [--in-flight K]
                       [--repeats R]

Each case: a FastStream broker with one subscriber (a handler whose body is a pydantic model, so
FastStream decodes and validates the JSON) is started, one warm-up message goes through, then N
messages are published and the run waits until the handler has seen all N (failing loudly after a
timeout). msgs/s = N / (first publish call -> last message handled); the publish rate is
N / (first publish call -> last publish resolved); latency = handling time - `sent_ns`, on one
monotonic clock of the process. Each case runs --repeats times (3) and the run with the median
msgs/s is written as one JSON line to $ASYNCAPI_BENCH_OUT (stdout when unset), in the record format
of bench/src/record.rs. Message counts, the pipelined window (1000), the percentiles and the
median follow the typed/raw benchmark (bench/src/bin/throughput.rs).

Transports: Kafka through faststream.kafka (aiokafka), MQTT 5 through faststream.mqtt (zmqtt).
Modes: awaited (each publish awaited: Kafka until the broker acknowledged the record, MQTT QoS 1
until the PUBACK, MQTT QoS 0 until the PUBLISH was written to the socket) and pipelined (up to K
publishes unconfirmed at once, then all awaited).
"""

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections import deque
from importlib.metadata import version

from pydantic import BaseModel

from faststream.kafka import KafkaBroker
from faststream.message.utils import encode_message
from faststream.mqtt import MQTTBroker, QoS

PAYLOAD_BYTES = 200
# `{"seq":` + `,"sent_ns":` + `,"data":"` + `"}` around the two numbers.
FRAME = 29
WARM_UP = -1
FILL = "x" * PAYLOAD_BYTES
# Mosquitto's default max_queued_messages: the messages it queues for a subscriber beyond the ones
# in flight to it; it drops the rest ("Outgoing messages are being dropped for client ...").
MOSQUITTO_QUEUE = 1000
# How long the subscriber may receive nothing, once publishing is done, before the run fails.
STALL = 10.0

_START = time.perf_counter_ns()


def now_ns() -> int:
    """Nanoseconds since the process-wide monotonic start."""
    return time.perf_counter_ns() - _START


def sample(seq: int) -> dict:
    """Message `seq` stamped now, its filler cut so that the encoded JSON is 200 bytes."""
    sent_ns = now_ns()
    filler = PAYLOAD_BYTES - FRAME - len(str(seq)) - len(str(sent_ns))
    return {"seq": seq, "sent_ns": sent_ns, "data": FILL[:filler]}


class Reading(BaseModel):
    """The message as the handler receives it, decoded and validated by FastStream."""

    seq: int
    sent_ns: int
    data: str


class Lost(RuntimeError):
    """Not every message arrived before the timeout."""


class Collector:
    """What the handler records into: one latency per sequence number."""

    def __init__(self, messages: int) -> None:
        self.latencies: list[int | None] = [None] * messages
        self.received = 0
        self.duplicates = 0
        self.last_ns = 0
        self.warmed = asyncio.Event()
        self.done = asyncio.Event()

    def record(self, seq: int, sent_ns: int) -> None:
        now = now_ns()
        if seq == WARM_UP:
            self.warmed.set()
            return
        if not 0 <= seq < len(self.latencies) or self.latencies[seq] is not None:
            self.duplicates += 1
            return
        self.latencies[seq] = now - sent_ns
        self.last_ns = now
        self.received += 1
        if self.received == len(self.latencies):
            self.done.set()


def percentile(ordered: list[int], q: int) -> float:
    """As the typed/raw benchmark picks it."""
    return float(ordered[min(len(ordered) * q // 100, len(ordered) - 1)])


async def drive(sink: Collector, mode: str, in_flight: int, timeout: float, publish, confirm):
    """Warm-up, then the measured section.

    `publish(seq)` stamps and publishes message `seq` and resolves when FastStream's publish call
    resolves; in pipelined mode it returns what `confirm` awaits (a future, or None when the call
    itself was the whole publish).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout

    async def warm_up():
        await confirm(await publish(WARM_UP))
        await sink.warmed.wait()

    try:
        await asyncio.wait_for(warm_up(), timeout)
    except TimeoutError:
        raise RuntimeError("the warm-up message never reached the subscriber") from None

    messages = len(sink.latencies)
    first_ns = now_ns()

    async def publishing():
        if mode == "awaited":
            for seq in range(messages):
                await confirm(await publish(seq))
        else:
            pending: deque = deque()
            for seq in range(messages):
                if len(pending) >= in_flight:
                    await confirm(pending.popleft())
                pending.append(await publish(seq))
            while pending:
                await confirm(pending.popleft())

    try:
        await asyncio.wait_for(publishing(), deadline - loop.time())
    except TimeoutError:
        raise RuntimeError(f"publishing did not finish within {timeout:.0f} s") from None
    published_ns = now_ns()

    # Waits for the rest, failing at the deadline or once nothing has arrived for STALL seconds
    # (a message the broker dropped never comes).
    seen, quiet_since = sink.received, loop.time()
    while not sink.done.is_set():
        now = loop.time()
        if now >= deadline or now - quiet_since >= STALL:
            why = f"within {timeout:.0f} s" if now >= deadline else f"(none for {STALL:.0f} s)"
            raise Lost(f"only {sink.received} of {messages} messages arrived {why}")
        try:
            await asyncio.wait_for(sink.done.wait(), min(1.0, deadline - now))
        except TimeoutError:
            pass
        if sink.received != seen:
            seen, quiet_since = sink.received, loop.time()

    ordered = sorted(sink.latencies)
    seconds = (sink.last_ns - first_ns) / 1e9
    publish_seconds = (published_ns - first_ns) / 1e9
    return {
        "seconds": seconds,
        "msgs_per_sec": messages / seconds,
        "publish_msgs_per_sec": messages / publish_seconds,
        "p50_us": percentile(ordered, 50) / 1e3,
        "p99_us": percentile(ordered, 99) / 1e3,
        "duplicates": sink.duplicates,
    }


def unique(prefix: str) -> str:
    unique.count = getattr(unique, "count", 0) + 1
    return f"{prefix}-{os.getpid()}-{time.time_ns() // 1_000_000}-{unique.count}"


# ---------------------------------------------------------------------------------------------
# Kafka (faststream.kafka over aiokafka).

# The producer settings of the raw rdkafka benchmark, as aiokafka names them, but idempotence:
# aiokafka's InitProducerId request fails against tansu (UnknownError), so it stays off.
# FastStream's own defaults are linger_ms=0 and aiokafka's acks=1.
KAFKA_PRODUCER = {"linger_ms": 0, "acks": "all"}


async def create_topic(server: str, topic: str) -> None:
    """tansu creates no topic on its own, and FastStream creates none: aiokafka's admin client."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(bootstrap_servers=server)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
    finally:
        await admin.close()


async def kafka_run(server: str, mode: str, messages: int, in_flight: int, timeout: float):
    topic = unique("faststream-bench")
    await create_topic(server, topic)
    sink = Collector(messages)
    broker = KafkaBroker(server, logger=None, **KAFKA_PRODUCER)

    # At most 10 ms per fetch, as every other Kafka consumer of the benchmarks: tansu answers a
    # fetch only when that wait is up, so the default 500 ms would set every latency to ~500 ms.
    @broker.subscriber(topic, group_id=topic, auto_offset_reset="earliest", fetch_max_wait_ms=10)
    async def receive(reading: Reading) -> None:
        sink.record(reading.seq, reading.sent_ns)

    try:
        await broker.start()
        if mode == "awaited":

            async def publish(seq):
                # Resolves on the broker's acknowledgement (aiokafka's RecordMetadata).
                await broker.publish(sample(seq), topic)

            async def confirm(_):
                pass

        else:

            async def publish(seq):
                # Resolves once the record is in aiokafka's buffer; the future it returns
                # resolves on the broker's acknowledgement.
                return await broker.publish(sample(seq), topic, no_confirm=True)

            async def confirm(future):
                await future

        return await drive(sink, mode, in_flight, timeout, publish, confirm)
    finally:
        await broker.stop()


def kafka_note(mode: str, in_flight: int) -> str:
    common = (
        f"faststream {version('faststream')} KafkaBroker over aiokafka {version('aiokafka')}, "
        "producer with linger_ms=0, acks=all (FastStream's defaults: linger_ms=0, aiokafka's "
        "acks=1; enable_idempotence=True fails against tansu: InitProducerId answers "
        "UnknownError), subscriber handler taking a pydantic model (group, "
        "auto_offset_reset=earliest, default ack policy), per-message logging off (logger=None), "
        "fresh topic with 1 partition"
    )
    if mode == "awaited":
        return f"{common}; awaited = each await broker.publish(..) in turn, which resolves on the broker's acknowledgement"
    return (
        f"{common}; pipelined = broker.publish(.., no_confirm=True) (resolves once the record is "
        f"in aiokafka's buffer), at most {in_flight} unconfirmed, their futures awaited oldest first"
    )


# ---------------------------------------------------------------------------------------------
# MQTT (faststream.mqtt over zmqtt, MQTT 5).


async def mqtt_run(server: str, qos1: bool, mode: str, messages: int, in_flight: int, timeout: float):
    client_id = unique("faststream-bench")
    topic = f"bench/{client_id}"
    qos = QoS.AT_LEAST_ONCE if qos1 else QoS.AT_MOST_ONCE
    url = f"mqtt://{server}"
    sink = Collector(messages)
    # The subscriber's broker and a publishing broker of its own: one connection each, as the
    # typed/raw benchmark has.
    broker = MQTTBroker(url, client_id=f"{client_id}-sub", logger=None)
    publisher = MQTTBroker(url, client_id=f"{client_id}-pub", logger=None)

    @broker.subscriber(topic, qos=qos)
    async def receive(reading: Reading) -> None:
        sink.record(reading.seq, reading.sent_ns)

    try:
        await broker.start()
        await publisher.start()

        async def send(seq):
            # QoS 1: resolves on the PUBACK; QoS 0: once the PUBLISH is written to the socket.
            await publisher.publish(sample(seq), topic, qos=qos)

        if mode == "awaited":

            async def publish(seq):
                await send(seq)

            async def confirm(_):
                pass

        else:

            async def publish(seq):
                # A task of its own, stamped when it starts: FastStream's MQTT publish has no
                # unconfirmed form.
                return asyncio.ensure_future(send(seq))

            async def confirm(task):
                await task

        return await drive(sink, mode, in_flight, timeout, publish, confirm)
    finally:
        await publisher.stop()
        await broker.stop()


def mqtt_note(mode: str, in_flight: int) -> str:
    common = (
        f"faststream {version('faststream')} MQTTBroker over zmqtt {version('zmqtt')} (MQTT 5), "
        "subscriber handler taking a pydantic model, subscribed at the case's QoS (zmqtt acks), "
        "publisher on a connection of its own, per-message logging off (logger=None)"
    )
    if mode == "awaited":
        return (
            f"{common}; awaited = each await broker.publish(.., qos=..) in turn: QoS 1 until the "
            "PUBACK, QoS 0 until the PUBLISH is written to the socket"
        )
    return (
        f"{common}; pipelined = up to {in_flight} broker.publish(..) tasks in flight (no "
        "unconfirmed publish form), then all awaited"
    )


# ---------------------------------------------------------------------------------------------


def default_messages(transport: str, mode: str) -> int:
    """The counts of the typed/raw benchmark."""
    return {
        ("mqtt-qos0", "awaited"): 20_000,
        ("mqtt-qos0", "pipelined"): 100_000,
        ("mqtt-qos1", "awaited"): 10_000,
        ("mqtt-qos1", "pipelined"): 50_000,
        ("kafka", "awaited"): 2_000,
        ("kafka", "pipelined"): 20_000,
    }[(transport, mode)]


def write(record: dict) -> None:
    line = json.dumps(record)
    path = os.environ.get("ASYNCAPI_BENCH_OUT")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(line + "\n")
    else:
        print(line, flush=True)


def check_payload() -> None:
    """The payload FastStream writes is 200 bytes (its pydantic serializer writes compact JSON)."""
    serializer = KafkaBroker().config.fd_config._serializer
    for seq in (0, 9, 10, 12_345, WARM_UP):
        body, _ = encode_message(sample(seq), serializer)
        if len(body) != PAYLOAD_BYTES:
            sys.exit(f"the payload of seq {seq} encodes to {len(body)} bytes, not {PAYLOAD_BYTES}")


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mqtt", metavar="HOST:PORT")
    parser.add_argument("--kafka", metavar="HOST:PORT")
    parser.add_argument("--messages", type=int)
    parser.add_argument("--in-flight", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not args.mqtt and not args.kafka:
        parser.error("nothing to measure: give --mqtt and/or --kafka")
    check_payload()
    logging.getLogger("aiokafka").setLevel(logging.ERROR)

    cases = []
    if args.mqtt:
        cases += [(t, m) for t in ("mqtt-qos0", "mqtt-qos1") for m in ("awaited", "pipelined")]
    if args.kafka:
        cases += [("kafka", "awaited"), ("kafka", "pipelined")]

    failed = []
    for transport, mode in cases:
        messages = args.messages or default_messages(transport, mode)
        fallback = None
        runs = []
        repeat = 0
        while len(runs) < max(args.repeats, 1):
            repeat += 1
            label = f"faststream {transport} {mode} {messages} messages run {repeat}"
            timeout = 60 + messages / 1000
            try:
                if transport == "kafka":
                    run = await kafka_run(args.kafka, mode, messages, args.in_flight, timeout)
                else:
                    qos1 = transport == "mqtt-qos1"
                    run = await mqtt_run(args.mqtt, qos1, mode, messages, args.in_flight, timeout)
            except Lost as error:
                print(f"{label} FAILED: {error}", file=sys.stderr)
                if transport == "kafka" or messages <= MOSQUITTO_QUEUE:
                    failed.append(f"{transport} {mode}: {error}")
                    break
                # The subscriber falls behind the publisher in one Python process, and Mosquitto
                # drops what its queue for the subscriber cannot hold: the nearest case that can
                # complete is a burst the queue holds whole.
                fallback = (
                    f"messages={MOSQUITTO_QUEUE}, not {messages}: with {messages} the "
                    "subscriber fell behind the publisher (one Python process) and Mosquitto "
                    "dropped the messages it could not queue for it (max_queued_messages, "
                    f"default {MOSQUITTO_QUEUE}), so not all arrived ({error}); "
                    f"{MOSQUITTO_QUEUE} is the largest burst that queue holds whole"
                )
                print(f"  measuring the nearest case instead: {fallback}", file=sys.stderr)
                messages = MOSQUITTO_QUEUE
                runs = []
                repeat = 0
                continue
            except Exception as error:  # noqa: BLE001 - a broken case is reported, loudly
                print(f"{label} FAILED: {error!r}", file=sys.stderr)
                failed.append(f"{transport} {mode}: {error!r}")
                break
            print(
                f"{label}: {run['seconds']:.3f} s, {run['msgs_per_sec']:.0f} msg/s end to end, "
                f"{run['publish_msgs_per_sec']:.0f} msg/s published, p50 {run['p50_us']:.0f} us, "
                f"p99 {run['p99_us']:.0f} us"
                + (f", {run['duplicates']} duplicate deliveries ignored" if run["duplicates"] else ""),
                file=sys.stderr,
            )
            runs.append(run)
        if len(runs) < max(args.repeats, 1):
            continue
        runs.sort(key=lambda r: r["msgs_per_sec"])
        median = runs[len(runs) // 2]
        note = kafka_note(mode, args.in_flight) if transport == "kafka" else mqtt_note(mode, args.in_flight)
        if fallback:
            note = f"{note}; NEAREST CASE: {fallback}"
        write(
            {
                "suite": "runtime",
                "transport": transport,
                "mode": mode,
                "client": "faststream",
                "messages": messages,
                "payload_bytes": PAYLOAD_BYTES,
                "in_flight": 1 if mode == "awaited" else args.in_flight,
                "seconds": median["seconds"],
                "msgs_per_sec": median["msgs_per_sec"],
                "publish_msgs_per_sec": median["publish_msgs_per_sec"],
                "p50_us": median["p50_us"],
                "p99_us": median["p99_us"],
                "allocs_per_msg": None,
                "runs": len(runs),
                "note": note,
            }
        )
    for failure in failed:
        print(f"FAILED, no record written: faststream {failure}", file=sys.stderr)
    # A failed case is reported above and leaves no record; the other cases' records stand, and
    # the run goes on (scripts/bench.sh runs every benchmark in one go).
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
