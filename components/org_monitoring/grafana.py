"""Optional Amazon Managed Grafana workspace with a CloudWatch data source and the Bedrock dashboard.

Imported only when `grafana.enabled` is true, so the default plan never loads pulumiverse-grafana.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumiverse_grafana as grafana

from components.org_monitoring.grafana_dashboard import DATASOURCE_UID, grafana_dashboard_json
from components.org_monitoring.specs import OrgContext
from vocabulary import role_policies


@dataclass(frozen=True)
class ManagedGrafanaArgs:
    # The workspace lives in the home region and reads every region of `context.regions`.
    context: OrgContext


class ManagedGrafana(pulumi.ComponentResource):
    url: pulumi.Output[str]

    def __init__(self, name: str, args: ManagedGrafanaArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("bedrockobs:monitoring:ManagedGrafana", name, None, opts)
        ctx = args.context
        cfg = ctx.settings.grafana
        child = pulumi.ResourceOptions(parent=self)
        # IAM is global (no region). A customer-managed role keeps the workspace read-only on CloudWatch,
        # instead of the broader service-managed policy set.
        role = aws.iam.Role(
            f"{name}-role",
            name=f"{cfg.workspace_name}-grafana"[:64],
            assume_role_policy=role_policies.grafana_trust_policy(ctx.home_region, ctx.monitoring_account_id),
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-read",
            role=role.id,
            policy=role_policies.grafana_read_policy(ctx.settings.share_log_groups),
            opts=child,
        )
        workspace = aws.grafana.Workspace(
            f"{name}-workspace",
            name=cfg.workspace_name,
            region=ctx.home_region,
            account_access_type="CURRENT_ACCOUNT",
            authentication_providers=list(cfg.authentication_providers),
            permission_type="CUSTOMER_MANAGED",
            role_arn=role.arn,
            data_sources=["CLOUDWATCH"],
            grafana_version=cfg.grafana_version,
            opts=child,
        )
        service_account = aws.grafana.WorkspaceServiceAccount(
            f"{name}-pulumi-sa",
            name="pulumi",
            grafana_role="ADMIN",
            workspace_id=workspace.id,
            region=ctx.home_region,
            opts=child,
        )
        token = aws.grafana.WorkspaceServiceAccountToken(
            f"{name}-pulumi-token",
            name="pulumi",
            service_account_id=service_account.service_account_id,
            workspace_id=workspace.id,
            seconds_to_live=cfg.token_ttl_days * 86_400,
            region=ctx.home_region,
            opts=child,
        )
        # A different provider package than pulumi-aws, so it has to be created here (parented).
        provider = grafana.Provider(
            f"{name}-provider",
            url=pulumi.Output.concat("https://", workspace.endpoint),
            auth=pulumi.Output.secret(token.key),
            opts=child,
        )
        with_provider = pulumi.ResourceOptions(parent=self, provider=provider)
        datasource = grafana.oss.DataSource(
            f"{name}-cloudwatch",
            type="cloudwatch",
            name="CloudWatch (monitoring account)",
            uid=DATASOURCE_UID,
            is_default=True,
            # "ec2_iam_role" = the workspace's own IAM role in Amazon Managed Grafana; cross-account data
            # comes from OAM, so no per-account role or key is stored in Grafana.
            json_data_encoded=json.dumps({"authType": "ec2_iam_role", "defaultRegion": ctx.home_region}),
            opts=with_provider,
        )
        grafana.oss.Dashboard(
            f"{name}-bedrock-dashboard",
            config_json=grafana_dashboard_json(ctx.regions, ctx.workloads, ctx.pricing),
            overwrite=True,
            opts=pulumi.ResourceOptions(parent=self, provider=provider, depends_on=[datasource]),
        )
        self.url = pulumi.Output.concat("https://", workspace.endpoint)
        self.register_outputs({"url": self.url})
