#!/bin/sh
# Download 50 real MCP server packages, pinned, for the false-alarm figures of the agent
# audit (issue 20; docs/benchmarks.md, "Agent skills and MCP (session 18)").
#
# Usage: sh bench/mcp-servers/fetch.sh OUTDIR
# Then:  assay scan OUTDIR/pypi OUTDIR/npm --format json -o report.json
#
# Packages come from the public registries through their ordinary clients (pip, npm),
# without dependencies and without running anything: wheels/sdists from PyPI
# (`pip download --no-deps`, wheels for Python 3.13), tarballs from npm (`npm pack`, no install scripts run).
# Names and versions are pinned below; chosen as the most-downloaded MCP servers of
# each registry (official reference servers, vendor servers, popular community ones).
set -eu
out=${1:?usage: fetch.sh OUTDIR}
mkdir -p "$out/pypi" "$out/npm"

PYPI="
mcp-server-fetch==2025.4.7
mcp-server-git==2025.9.25
mcp-server-time==2025.9.25
mcp-server-qdrant==0.8.0
awslabs-aws-documentation-mcp-server==1.1.10
awslabs-aws-api-mcp-server==1.0.2
awslabs-bedrock-kb-retrieval-mcp-server==1.0.10
awslabs-aws-pricing-mcp-server==1.0.17
awslabs-cloudwatch-mcp-server==0.0.10
mcp-atlassian==0.11.9
office-word-mcp-server==1.1.9
excel-mcp-server==0.1.7
office-powerpoint-mcp-server==2.0.6
mcp-server-duckdb==1.1.0
chroma-mcp==0.2.6
mcp-grafana==2.1.1
mcp-clickhouse==0.1.12
arxiv-mcp-server==0.3.1
postgres-mcp==0.3.0
cli-mcp-server==0.2.5
opensearch-mcp-server-py==0.4.0
workspace-mcp==1.4.1
lean-lsp-mcp==0.10.0
pdf-tools-mcp==0.1.4
snowflake-labs-mcp==1.3.3
"

NPM="
@modelcontextprotocol/server-filesystem@2025.8.21
@modelcontextprotocol/server-memory@2025.8.4
@modelcontextprotocol/server-everything@2025.9.25
@modelcontextprotocol/server-sequential-thinking@2025.7.1
@modelcontextprotocol/server-github@2025.4.8
@modelcontextprotocol/server-gitlab@2025.4.25
@modelcontextprotocol/server-slack@2025.4.25
@modelcontextprotocol/server-postgres@0.6.2
@modelcontextprotocol/server-puppeteer@2025.5.12
@modelcontextprotocol/server-brave-search@0.6.2
@modelcontextprotocol/server-google-maps@0.6.2
@modelcontextprotocol/server-gdrive@2025.1.14
@modelcontextprotocol/server-redis@2025.4.25
@modelcontextprotocol/server-aws-kb-retrieval@0.6.2
@playwright/mcp@0.0.41
chrome-devtools-mcp@0.8.1
@upstash/context7-mcp@1.0.20
@notionhq/notion-mcp-server@1.9.0
@supabase/mcp-server-supabase@0.5.5
mongodb-mcp-server@3.0.4
@stripe/mcp@0.2.4
@circleci/mcp-server-circleci@0.20.0
mcp-server-kubernetes@4.1.7
mcp-server-code-runner@0.1.7
@azure-devops/mcp@2.10.0
"

for spec in $PYPI; do
  pip download --quiet --no-deps --python-version 3.13 --only-binary=:all: --dest "$out/pypi" "$spec" || echo "fetch.sh: could not download $spec" >&2
done
for spec in $NPM; do
  (cd "$out/npm" && npm pack --silent --ignore-scripts "$spec" >/dev/null) || echo "fetch.sh: could not download $spec" >&2
done
ls "$out/pypi" "$out/npm" | grep -c -v ':$' || true
