"""A backend service written in Python: starts cancelOrder by name, queries `status`, sends `retry`, reads the result.

It knows the orchestrator only through schema/ (the published JSON Schema): every payload it sends or receives is
validated against the file schema/contract.json names for it. Prints one JSON line per step for the test to check.
Usage: contract_client.py ADDRESS NAMESPACE TASK_QUEUE PROVIDER ORDER_ID
"""

import asyncio
import json
import os
import pathlib
import sys

import jsonschema
from temporalio.client import Client
from temporalio.common import Priority, WorkflowIDConflictPolicy

SCHEMA_DIR = pathlib.Path(__file__).resolve().parents[2] / "schema"
CONTRACT = json.loads((SCHEMA_DIR / "contract.json").read_text())
CANCEL = CONTRACT["workflows"]["cancelOrder"]


def check(schema_file: str, value: object) -> None:
    """Raise when `value` does not match the named schema file."""
    schema = json.loads((SCHEMA_DIR / schema_file).read_text())
    jsonschema.Draft202012Validator(schema).validate(value)


def fill(template: str, arg: dict) -> str:
    """The contract's templates name input fields: {provider}, {orderId}, {reason.code}."""
    return template.replace("{reason.code}", arg["reason"]["code"]).format(**arg)


def emit(step: str, value: object) -> None:
    print(json.dumps({"step": step, "value": value}), flush=True)


async def main(address: str, namespace: str, task_queue: str, provider: str, order_id: str) -> None:
    client = await Client.connect(address, namespace=namespace)
    arg = {
        "provider": provider,
        "orderId": order_id,
        "reason": {"code": "customer_request", "note": "asked from Python"},
        "requestedBy": "python-backend",
    }
    check(CANCEL["input"], arg)
    workflow_id = fill(CANCEL["workflowId"], arg)
    start = CANCEL["start"]
    handle = await client.start_workflow(
        "cancelOrder",
        arg,
        id=workflow_id,
        task_queue=task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy[start["workflowIdConflictPolicy"]],
        static_summary=fill(start["staticSummary"], arg),
        priority=Priority(priority_key=start["priority"]["priorityKey"]),
    )
    emit("started", {"workflowId": handle.id})

    # Wait on the query's answer, not on time: the provider fails until the retry budget is spent.
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        status = await handle.query("status")
        check(CANCEL["queries"]["status"], status)
        if status["state"] == "AWAITING_OPERATOR":
            break
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"still {status['state']} after 30 s, never AWAITING_OPERATOR")
        await asyncio.sleep(0.1)
    emit("awaiting", status)

    retry = {"by": "python-ops"}
    check(CANCEL["signals"]["retry"], retry)
    await handle.signal("retry", retry)
    result = await handle.result()
    check(CANCEL["result"], result)
    emit("result", result)


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__.strip().splitlines()[-1])
    asyncio.run(main(*sys.argv[1:]))
    # Leave without interpreter finalization: the SDK's native runtime threads can still hold the GIL state while
    # Python finalizes, which aborts the process ("Fatal Python error: PyGILState_Release ... finalizing") after
    # the work is done, about one run in ten on a busy machine. Everything was printed and flushed above.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
