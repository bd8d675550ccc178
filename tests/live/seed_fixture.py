#!/usr/bin/env python3
"""Seeds a moto server with the organization a snapshot fixture describes
(fixtures/snapshots/reference-drifted.json), for archaudit's live parity test.

Every account of the fixture becomes an account in moto: the fixture's
management account is moto's own (the caller), every member is created through
Organizations with the fixture's name, e-mail and tags, and seeded through
credentials of its assumed OrganizationAccountAccessRole (see seed.py). The
fixture's account ids are rewritten to moto's everywhere (bucket names,
policies, ARNs), then every resource moto can hold is created with the
fixture's attributes in the right account and region.

moto generates its own ids (VPCs, launch templates, instances, load balancers,
listeners, certificates, web ACLs, secrets, EFS). The script prints, as JSON:
  {"management": id, "accounts": {fixture_account_id: moto_account_id},
   "ids": {moto_id_or_arn: fixture_id_or_arn (account ids rewritten)},
   "skipped": ["what moto cannot hold, and why", ...]}
so the test can compare findings on the fixture's own names.

Usage: seed_fixture.py --endpoint http://127.0.0.1:PORT --fixture FILE
"""
import argparse
import datetime
import json
import sys

from botocore.exceptions import ClientError
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from seed import s3control, session_for

THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
# Values only: parameters and secrets are seeded with obvious placeholders.
PLACEHOLDER = "not-a-real-secret"


def tag_list(tags, key="Key", value="Value"):
    return [{key: k, value: v} for k, v in sorted((tags or {}).items())]


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


class Seeder:
    def __init__(self, client, account, data, shift, ids, skipped):
        self.c = client
        self.account = account
        self.data = data
        self.name = data["account"]["name"]
        self.shift = shift
        self.ids = ids
        self.skipped = skipped
        self.policies = set()
        self.managed = 0  # AWS managed policy attachments not made

    def skip(self, what, why):
        self.skipped.append(f"{self.name}: {what}: {why}")

    def mapped(self, fixture_id):
        for moto, fixture in self.ids.items():
            if fixture == fixture_id:
                return moto
        raise KeyError(f"{self.name}: {fixture_id} was not seeded")

    # --- EC2 network first: EKS, EFS, ELB and RDS are placed in its subnets.
    def network(self):
        ec2 = self.c("ec2")
        for vpc in self.data["ec2"]["vpcs"]:
            if vpc["is_default"]:
                # moto creates the default VPC (172.31.0.0/16) of every account and region.
                default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
                self.ids[default[0]["VpcId"]] = vpc["id"]
                continue
            vpc_id = ec2.create_vpc(CidrBlock=vpc["cidr_block"])["Vpc"]["VpcId"]
            if vpc["tags"]:
                ec2.create_tags(Resources=[vpc_id], Tags=tag_list(vpc["tags"]))
            self.ids[vpc_id] = vpc["id"]
        for sn in self.data["ec2"]["subnets"]:
            sn_id = ec2.create_subnet(VpcId=self.mapped(sn["vpc_id"]), CidrBlock=sn["cidr_block"],
                                      AvailabilityZone=sn["availability_zone"])["Subnet"]["SubnetId"]
            if sn["tags"]:
                ec2.create_tags(Resources=[sn_id], Tags=tag_list(sn["tags"]))
            if sn["map_public_ip_on_launch"]:
                ec2.modify_subnet_attribute(SubnetId=sn_id, MapPublicIpOnLaunch={"Value": True})
            self.ids[sn_id] = sn["id"]
        self.route_tables()
        self.security_groups()
        for setting in self.data["ec2"].get("ebs_encryption_by_default", []):
            if setting["enabled"]:
                ec2.enable_ebs_encryption_by_default()
        if self.data["ec2"]["flow_logs"]:
            raise SystemExit(f"{self.name}: flow logs in the fixture: teach seed_fixture.py to create them")
        for endpoint in self.data["ec2"]["client_vpn_endpoints"]:
            self.skip(f"client VPN endpoint {endpoint['id']}", "EC2 Client VPN is not implemented in moto")

    def route_tables(self):
        """The fixture's explicit route tables with their internet and NAT gateway
        routes (moto made the main ones, local route only, with each VPC)."""
        ec2 = self.c("ec2")
        gateways = {}
        for table in self.data["ec2"].get("route_tables", []):
            if table["main"]:
                if any(r["target"] != "local" for r in table["routes"]):
                    raise SystemExit(f"{self.name}: main route table {table['id']} has routes: teach seed_fixture.py")
                continue
            vpc = self.mapped(table["vpc_id"])
            created = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
            for route in table["routes"]:
                target = route["target"]
                if target == "local":
                    continue
                if target not in gateways:
                    if target.startswith("igw-"):
                        igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
                        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
                        gateways[target] = ("GatewayId", igw)
                    elif target.startswith("nat-"):
                        eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
                        public = next(t for t in self.data["ec2"]["route_tables"]
                                      if any(r["target"].startswith("igw-") for r in t["routes"]))
                        nat = ec2.create_nat_gateway(SubnetId=self.mapped(public["subnet_ids"][0]),
                                                     AllocationId=eip)["NatGateway"]["NatGatewayId"]
                        gateways[target] = ("NatGatewayId", nat)
                    else:
                        raise SystemExit(f"{self.name}: route target {target}: teach seed_fixture.py")
                key, value = gateways[target]
                ec2.create_route(RouteTableId=created, DestinationCidrBlock=route["destination"], **{key: value})
            for subnet in table["subnet_ids"]:
                ec2.associate_route_table(RouteTableId=created, SubnetId=self.mapped(subnet))
            self.ids[created] = table["id"]

    def security_groups(self):
        """The fixture's security groups and their rules. moto creates a default
        group per VPC (egress only, no self-referencing ingress) and gives every
        new group AWS's allow-all egress: both are set to the fixture's rules. The
        default VPC moto makes in every account and region is not in the fixture:
        its default group is emptied, as the fixture's own are."""
        ec2 = self.c("ec2")
        groups = self.data["ec2"].get("security_groups", [])
        fixture_vpcs = {self.mapped(v["id"]) for v in self.data["ec2"]["vpcs"]}
        defaults = {g["VpcId"]: g for g in ec2.describe_security_groups(
            Filters=[{"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]}
        for vpc_id, group in defaults.items():
            if vpc_id not in fixture_vpcs and group["IpPermissionsEgress"]:
                ec2.revoke_security_group_egress(GroupId=group["GroupId"], IpPermissions=group["IpPermissionsEgress"])
        created = {}
        for g in groups:
            vpc = self.mapped(g["vpc_id"])
            if g["name"] == "default":
                group_id = defaults[vpc]["GroupId"]
            else:
                group_id = ec2.create_security_group(GroupName=g["name"], Description=g["description"], VpcId=vpc,
                                                     TagSpecifications=[{"ResourceType": "security-group",
                                                                         "Tags": tag_list(g["tags"])}])["GroupId"]
            self.ids[group_id] = g["id"]
            created[g["id"]] = group_id
        for g in groups:
            group_id = created[g["id"]]
            now = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
            if now["IpPermissionsEgress"]:
                ec2.revoke_security_group_egress(GroupId=group_id, IpPermissions=now["IpPermissionsEgress"])
            if g["ingress"]:
                ec2.authorize_security_group_ingress(GroupId=group_id,
                                                     IpPermissions=[self.permission(r) for r in g["ingress"]])
            if g["egress"]:
                ec2.authorize_security_group_egress(GroupId=group_id,
                                                    IpPermissions=[self.permission(r) for r in g["egress"]])

    def permission(self, rule):
        p = {"IpProtocol": rule["protocol"]}
        if rule["protocol"] != "-1":
            p["FromPort"], p["ToPort"] = rule["from_port"], rule["to_port"]
        described = {"Description": rule["description"]} if rule.get("description") else {}
        if rule.get("cidr_ipv4"):
            p["IpRanges"] = [{"CidrIp": rule["cidr_ipv4"], **described}]
        elif rule.get("cidr_ipv6"):
            p["Ipv6Ranges"] = [{"CidrIpv6": rule["cidr_ipv6"], **described}]
        elif rule.get("referenced_group_id"):
            p["UserIdGroupPairs"] = [{"GroupId": self.mapped(rule["referenced_group_id"]), **described}]
        else:
            raise SystemExit(f"{self.name}: rule {rule['id']}: prefix lists are not seeded")
        return p

    def groups_of(self, ids):
        return [self.mapped(i) for i in ids]

    def subnets_of(self, vpc_id, public=None):
        subnets = [s for s in self.data["ec2"]["subnets"] if s["vpc_id"] == vpc_id]
        if public is not None:
            chosen = [s for s in subnets if ("kubernetes.io/role/elb" in s["tags"]) == public]
            subnets = chosen or subnets
        return [self.mapped(s["id"]) for s in subnets]

    # --- EKS clusters before IAM: moto chooses the OIDC issuer, trust policies follow it.
    def clusters(self):
        eks = self.c("eks")
        issuers = {}
        for cl in self.data["eks"]["clusters"]:
            kw = {}
            if cl["encryption"]:
                kw["encryptionConfig"] = [{"resources": e["resources"], "provider": {"keyArn": e["key_arn"]}}
                                          for e in cl["encryption"]]
            if cl["logging_enabled_types"]:
                kw["logging"] = {"clusterLogging": [{"types": cl["logging_enabled_types"], "enabled": True}]}
            subnets = [self.mapped(i) for i in cl.get("subnet_ids", [])] or self.subnets_of(cl["vpc_id"], public=False)
            # moto makes no cluster security group: the fixture's goes with the additional ones.
            groups = [i for i in [cl.get("cluster_security_group_id")] + cl.get("security_group_ids", []) if i]
            vpc = {"subnetIds": subnets, "securityGroupIds": self.groups_of(groups),
                   "endpointPublicAccess": cl["endpoint_public_access"],
                   "endpointPrivateAccess": cl["endpoint_private_access"]}
            if cl.get("public_access_cidrs"):
                vpc["publicAccessCidrs"] = cl["public_access_cidrs"]
            created = eks.create_cluster(name=cl["name"], version=cl["version"], roleArn=cl["role_arn"],
                                         resourcesVpcConfig=vpc, tags=cl["tags"], **kw)["cluster"]
            issuer = created["identity"]["oidc"]["issuer"]
            issuers[cl["oidc_issuer"].rsplit("/", 1)[1]] = issuer.rsplit("/", 1)[1]
            if cl.get("addons"):
                self.skip(f"add-ons of EKS cluster {cl['name']}", "EKS add-ons are not implemented in moto")
        # The issuer id appears in the OIDC provider, the IRSA trust policies and the cluster:
        # rewrite it in this account's data so they keep the fixture's relation to each other.
        text = json.dumps(self.data)
        for fixture_id, moto_id in issuers.items():
            text = text.replace(fixture_id, moto_id)
        self.data = json.loads(text)

    def node_groups(self):
        eks = self.c("eks")
        for cl in self.data["eks"]["clusters"]:
            for ng in cl["node_groups"]:
                kw = {}
                if ng.get("launch_template_id"):
                    kw["launchTemplate"] = {"id": self.mapped(ng["launch_template_id"])}
                created = eks.create_nodegroup(clusterName=cl["name"], nodegroupName=ng["name"], nodeRole=ng["node_role_arn"],
                                     subnets=[self.mapped(i) for i in ng.get("subnet_ids", [])]
                                     or self.subnets_of(cl["vpc_id"], public=False), amiType=ng["ami_type"],
                                     instanceTypes=ng["instance_types"], tags=ng["tags"], version=ng["version"], **kw)
                self.ids[created["nodegroup"]["nodegroupArn"]] = ng["arn"]

    # --- IAM
    def attach(self, kind, name, arn):
        iam = self.c("iam")
        if arn.startswith("arn:aws:iam::aws:policy/"):
            self.managed += 1
            return
        if arn not in self.policies:
            path, _, policy = arn.split(":policy", 1)[1].rpartition("/")
            iam.create_policy(PolicyName=policy, Path=(path or "") + "/", PolicyDocument=json.dumps(
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:GetCallerIdentity",
                                                         "Resource": "*"}]}))
            self.policies.add(arn)
        if kind == "role":
            iam.attach_role_policy(RoleName=name, PolicyArn=arn)
        else:
            iam.attach_user_policy(UserName=name, PolicyArn=arn)

    def iam(self):
        iam = self.c("iam")
        model = self.data["iam"]
        for role in model["roles"]:
            trust = json.dumps(role["trust_policy"])
            try:
                iam.create_role(RoleName=role["name"], Path=role["path"], AssumeRolePolicyDocument=trust,
                                Tags=tag_list(role["tags"]))
            except ClientError as e:
                if e.response["Error"]["Code"] != "EntityAlreadyExists":
                    raise
                # moto creates OrganizationAccountAccessRole in every member account.
                iam.update_assume_role_policy(RoleName=role["name"], PolicyDocument=trust)
            for arn in role["attached_policies"]:
                self.attach("role", role["name"], arn)
        for user in model["users"]:
            iam.create_user(UserName=user["name"], Tags=tag_list(user["tags"]))
            for key in user["access_keys"]:
                created = iam.create_access_key(UserName=user["name"])["AccessKey"]["AccessKeyId"]
                if key["status"] != "Active":
                    iam.update_access_key(UserName=user["name"], AccessKeyId=created, Status=key["status"])
                self.skip(f"access key {key['id']} of {user['name']}",
                          "moto sets creation and last-used dates itself")
            for arn in user["attached_policies"]:
                self.attach("user", user["name"], arn)
        for user in model["users"]:
            if user.get("login_profile"):
                iam.create_login_profile(UserName=user["name"], Password="Not-a-real-secret-42!",
                                         PasswordResetRequired=user["login_profile"]["password_reset_required"])
            for serial in user.get("mfa_devices", []):
                device = iam.create_virtual_mfa_device(VirtualMFADeviceName=serial.rsplit("/", 1)[1])
                iam.enable_mfa_device(UserName=user["name"], SerialNumber=device["VirtualMFADevice"]["SerialNumber"],
                                      AuthenticationCode1="123456", AuthenticationCode2="654321")
        policy = model.get("password_policy")
        if policy:
            iam.update_account_password_policy(
                MinimumPasswordLength=policy["minimum_password_length"], RequireSymbols=policy["require_symbols"],
                RequireNumbers=policy["require_numbers"],
                RequireUppercaseCharacters=policy["require_uppercase_characters"],
                RequireLowercaseCharacters=policy["require_lowercase_characters"],
                AllowUsersToChangePassword=policy["allow_users_to_change_password"], HardExpiry=policy["hard_expiry"],
                **({"MaxPasswordAge": policy["max_password_age"]} if policy.get("max_password_age") else {}),
                **({"PasswordReusePrevention": policy["password_reuse_prevention"]}
                   if policy.get("password_reuse_prevention") else {}))
        for provider in model["oidc_providers"]:
            iam.create_open_id_connect_provider(Url=f"https://{provider['url']}", ClientIDList=provider["client_ids"],
                                                ThumbprintList=[THUMBPRINT], Tags=tag_list(provider["tags"]))
        for cert in model["server_certificates"]:
            body, key = certificate(cert["name"], [], parse_time(cert["expiration"]) + self.shift, "RSA_2048")
            iam.upload_server_certificate(ServerCertificateName=cert["name"], Path=cert["path"],
                                          CertificateBody=body, PrivateKey=key)
        if self.managed:
            self.skip(f"{self.managed} attachment(s) of AWS managed policies",
                      "they exist in moto only with MOTO_IAM_LOAD_MANAGED_POLICIES (slow)")
        summary = model.get("account_summary") or {}
        if summary.get("account_access_keys_present"):
            self.skip("root access key", "moto has no root user credentials (AccountAccessKeysPresent is 0)")
        # Instance profiles the fixture's instances name (moto checks they exist).
        profiles = {i["iam_instance_profile_arn"].rsplit("/", 1)[1]
                    for i in self.data["ec2"]["instances"] if i.get("iam_instance_profile_arn")}
        for profile in sorted(profiles):
            iam.create_instance_profile(InstanceProfileName=profile)

    # --- EC2 compute
    def compute(self):
        ec2 = self.c("ec2")
        for lt in self.data["ec2"]["launch_templates"]:
            data = {"ImageId": lt["image_id"]}
            if lt.get("metadata_options"):
                mo = lt["metadata_options"]
                data["MetadataOptions"] = {k: v for k, v in [
                    ("HttpTokens", mo.get("http_tokens")), ("HttpPutResponseHopLimit", mo.get("http_put_response_hop_limit")),
                    ("HttpEndpoint", mo.get("http_endpoint"))] if v is not None}
            data["BlockDeviceMappings"] = [{"DeviceName": d["device_name"], "Ebs": {k: v for k, v in [
                ("Encrypted", d.get("encrypted")), ("VolumeSize", d.get("volume_size")),
                ("VolumeType", d.get("volume_type"))] if v is not None}} for d in lt["block_devices"]]
            created = ec2.create_launch_template(
                LaunchTemplateName=lt["name"], LaunchTemplateData=data,
                TagSpecifications=[{"ResourceType": "launch-template", "Tags": tag_list(lt["tags"])}]
            )["LaunchTemplate"]["LaunchTemplateId"]
            # The same data in every version up to the fixture's default one.
            for _ in range(1, lt["default_version"]):
                ec2.create_launch_template_version(LaunchTemplateId=created, LaunchTemplateData=data)
            ec2.modify_launch_template(LaunchTemplateId=created, DefaultVersion=str(lt["default_version"]))
            self.ids[created] = lt["id"]
        for inst in self.data["ec2"]["instances"]:
            kw = {}
            if inst.get("launch_template_id"):
                kw["LaunchTemplate"] = {"LaunchTemplateId": self.mapped(inst["launch_template_id"])}
            if inst.get("iam_instance_profile_arn"):
                kw["IamInstanceProfile"] = {"Arn": inst["iam_instance_profile_arn"]}
            if inst.get("metadata_options"):
                mo = inst["metadata_options"]
                kw["MetadataOptions"] = {"HttpTokens": mo["http_tokens"], "HttpEndpoint": mo["http_endpoint"],
                                         "HttpPutResponseHopLimit": mo["http_put_response_hop_limit"]}
            if inst["tags"]:
                kw["TagSpecifications"] = [{"ResourceType": "instance", "Tags": tag_list(inst["tags"])}]
            if inst.get("subnet_id"):
                kw["SubnetId"] = self.mapped(inst["subnet_id"])
            if inst.get("security_group_ids"):
                kw["SecurityGroupIds"] = self.groups_of(inst["security_group_ids"])
            lt = next((t for t in self.data["ec2"]["launch_templates"] if t["id"] == inst.get("launch_template_id")), None)
            image = lt["image_id"] if lt else "ami-0a1b2c3d4e5f60718"
            created = ec2.run_instances(ImageId=image, InstanceType=inst["instance_type"], MinCount=1, MaxCount=1,
                                        **kw)["Instances"][0]["InstanceId"]
            if inst.get("public_ip"):
                # An Elastic IP: moto chooses the address.
                eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
                ec2.associate_address(AllocationId=eip, InstanceId=created)
            if inst["state"] == "stopped":
                ec2.stop_instances(InstanceIds=[created])
            elif inst["state"] != "running":
                raise SystemExit(f"{self.name}: instance {inst['id']} is {inst['state']}: not seeded")
            self.ids[created] = inst["id"]

    # --- Storage and data
    def s3(self):
        s3 = self.c("s3")
        for b in self.data["s3"]["buckets"]:
            name = b["name"]
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": b["region"]})
            if b.get("versioning"):
                s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": b["versioning"]})
            if b.get("encryption"):
                rule = {"SSEAlgorithm": b["encryption"]["sse_algorithm"]}
                if b["encryption"].get("kms_key_id"):
                    rule["KMSMasterKeyID"] = b["encryption"]["kms_key_id"]
                s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [{
                    "ApplyServerSideEncryptionByDefault": rule,
                    "BucketKeyEnabled": b["encryption"].get("bucket_key_enabled", False)}]})
            grants = [g for g in b.get("acl_grants", []) if g["grantee_type"] == "Group"]
            if grants:
                owner = s3.get_bucket_acl(Bucket=name)["Owner"]
                s3.put_bucket_acl(Bucket=name, AccessControlPolicy={"Owner": owner, "Grants": [
                    {"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]}, "Permission": "FULL_CONTROL"}] + [
                    {"Grantee": {"Type": "Group", "URI": g["grantee"]}, "Permission": g["permission"]} for g in grants]})
            if b.get("policy"):
                s3.put_bucket_policy(Bucket=name, Policy=json.dumps(b["policy"]))
            if b.get("public_access_block"):
                pab = b["public_access_block"]
                s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration={
                    "BlockPublicAcls": pab["block_public_acls"], "IgnorePublicAcls": pab["ignore_public_acls"],
                    "BlockPublicPolicy": pab["block_public_policy"],
                    "RestrictPublicBuckets": pab["restrict_public_buckets"]})
            if b.get("logging_enabled"):
                raise SystemExit(f"{self.name}: bucket {name} logs access: teach seed_fixture.py to set it")
            if b["tags"]:
                s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_list(b["tags"])})

    def s3control(self):
        control = s3control(self.c, self.account)
        for block in self.data.get("s3control", {}).get("public_access_blocks", []):
            control.put_public_access_block(AccountId=self.account, PublicAccessBlockConfiguration={
                "BlockPublicAcls": block["block_public_acls"], "IgnorePublicAcls": block["ignore_public_acls"],
                "BlockPublicPolicy": block["block_public_policy"],
                "RestrictPublicBuckets": block["restrict_public_buckets"]})

    def dynamodb(self):
        ddb = self.c("dynamodb")
        for t in self.data["dynamodb"]["tables"]:
            kw = {}
            if t["billing_mode"] == "PROVISIONED":
                kw["ProvisionedThroughput"] = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
            ddb.create_table(TableName=t["name"], BillingMode=t["billing_mode"],
                             KeySchema=[{"AttributeName": k["attribute_name"], "KeyType": k["key_type"]}
                                        for k in t["key_schema"]],
                             AttributeDefinitions=[{"AttributeName": a["attribute_name"],
                                                    "AttributeType": a["attribute_type"]}
                                                   for a in t["attribute_definitions"]],
                             DeletionProtectionEnabled=t["deletion_protection"], Tags=tag_list(t["tags"]), **kw)
            if t["point_in_time_recovery"]:
                ddb.update_continuous_backups(TableName=t["name"], PointInTimeRecoverySpecification={
                    "PointInTimeRecoveryEnabled": True})

    def ecr(self):
        ecr = self.c("ecr")
        for reg in self.data["ecr"]["registries"]:
            if reg["scan_type"] != "BASIC" or reg["scanning_rules"]:
                ecr.put_registry_scanning_configuration(scanType=reg["scan_type"], rules=[{
                    "scanFrequency": r["scan_frequency"],
                    "repositoryFilters": [{"filter": f, "filterType": "WILDCARD"} for f in r["filters"]]}
                    for r in reg["scanning_rules"]])
        for repo in self.data["ecr"]["repositories"]:
            enc = {"encryptionType": repo["encryption_type"]}
            if repo.get("kms_key"):
                enc["kmsKey"] = repo["kms_key"]
            ecr.create_repository(repositoryName=repo["name"], imageTagMutability=repo["image_tag_mutability"],
                                  imageScanningConfiguration={"scanOnPush": repo["scan_on_push"]},
                                  encryptionConfiguration=enc, tags=tag_list(repo["tags"]))
            if repo["has_lifecycle_policy"]:
                ecr.put_lifecycle_policy(repositoryName=repo["name"], lifecyclePolicyText=json.dumps({"rules": [{
                    "rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                                     "countUnit": "days", "countNumber": 14},
                    "action": {"type": "expire"}}]}))
            if repo.get("policy"):
                ecr.set_repository_policy(repositoryName=repo["name"], policyText=json.dumps(repo["policy"]))

    def efs(self):
        efs = self.c("efs")
        for fs in self.data["efs"]["file_systems"]:
            created = efs.create_file_system(CreationToken=fs.get("name") or fs["id"],
                                             PerformanceMode=fs["performance_mode"],
                                             ThroughputMode=fs["throughput_mode"], Encrypted=fs["encrypted"],
                                             Backup=fs["backup_enabled"], Tags=tag_list(fs["tags"]))["FileSystemId"]
            for mt in fs["mount_targets"]:
                # The fixture's mount-target subnets are not among its modelled subnets:
                # use the private subnet of the same zone.
                zone = [s for s in self.data["ec2"]["subnets"] if s["availability_zone"] == mt["availability_zone"]
                        and "kubernetes.io/role/elb" not in s["tags"]]
                if zone:
                    efs.create_mount_target(FileSystemId=created, SubnetId=self.mapped(zone[0]["id"]),
                                            SecurityGroups=self.groups_of(mt.get("security_group_ids", [])))
            self.ids[created] = fs["id"]

    def rds(self):
        rds = self.c("rds")
        for db in self.data["rds"]["instances"]:
            kw = {}
            if db.get("kms_key_id"):
                kw["KmsKeyId"] = db["kms_key_id"]
            if db.get("security_group_ids"):
                kw["VpcSecurityGroupIds"] = self.groups_of(db["security_group_ids"])
            if db.get("subnet_ids"):
                rds.create_db_subnet_group(DBSubnetGroupName=f"{db['id']}-subnets", DBSubnetGroupDescription=db["id"],
                                           SubnetIds=[self.mapped(i) for i in db["subnet_ids"]])
                kw["DBSubnetGroupName"] = f"{db['id']}-subnets"
            rds.create_db_instance(
                DBInstanceIdentifier=db["id"], Engine=db["engine"], EngineVersion=db["engine_version"],
                DBInstanceClass=db["instance_class"], AllocatedStorage=20, MasterUsername="krci",
                MasterUserPassword=PLACEHOLDER, StorageEncrypted=db["storage_encrypted"],
                PubliclyAccessible=db["publicly_accessible"], MultiAZ=db["multi_az"],
                BackupRetentionPeriod=db["backup_retention_period"], DeletionProtection=db["deletion_protection"],
                EnableIAMDatabaseAuthentication=db["iam_database_authentication_enabled"],
                EnableCloudwatchLogsExports=db["enabled_cloudwatch_logs_exports"], Tags=tag_list(db["tags"]), **kw)
        if self.data["rds"]["clusters"]:
            raise SystemExit(f"{self.name}: RDS clusters in the fixture: teach seed_fixture.py to create them")

    # --- Certificates, load balancers, WAF
    def acm(self):
        acm = self.c("acm")
        for cert in self.data["acm"]["certificates"]:
            if cert["type"] == "IMPORTED":
                body, key = certificate(cert["domain_name"], cert["subject_alternative_names"],
                                        parse_time(cert["not_after"]) + self.shift, cert["key_algorithm"])
                arn = acm.import_certificate(Certificate=body.encode(), PrivateKey=key.encode(),
                                             Tags=tag_list(cert["tags"]))["CertificateArn"]
            else:
                arn = acm.request_certificate(DomainName=cert["domain_name"], ValidationMethod="DNS",
                                              SubjectAlternativeNames=cert["subject_alternative_names"],
                                              Tags=tag_list(cert["tags"]))["CertificateArn"]
                if cert["status"] != "ISSUED":
                    self.skip(f"certificate {cert['domain_name']} status {cert['status']}",
                              "moto sets the status of requested certificates itself")
            self.ids[arn] = cert["arn"]

    def elbv2(self):
        elb = self.c("elbv2")
        groups = {}

        def target_group(arn, lb):
            if arn not in groups:
                name = arn.split(":targetgroup/")[1].split("/")[0]
                tcp = lb["type"] == "network"
                groups[arn] = elb.create_target_group(Name=name, Protocol="TCP" if tcp else "HTTP",
                                                      Port=443 if tcp else 80, VpcId=self.mapped(lb["vpc_id"]),
                                                      TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
                self.ids[groups[arn]] = arn
            return groups[arn]

        for lb in self.data["elbv2"]["load_balancers"]:
            scheme_public = lb["scheme"] == "internet-facing"
            created = elb.create_load_balancer(Name=lb["name"], Scheme=lb["scheme"], Type=lb["type"],
                                               Subnets=self.subnets_of(lb["vpc_id"], public=scheme_public),
                                               Tags=tag_list(lb["tags"]),
                                               **({"SecurityGroups": self.groups_of(lb["security_group_ids"])}
                                                  if lb.get("security_group_ids") else {})
                                               )["LoadBalancers"][0]["LoadBalancerArn"]
            self.ids[created] = lb["arn"]
            attributes = [{"Key": k, "Value": v} for k, v in sorted(lb["attributes"].items())]
            if attributes:
                elb.modify_load_balancer_attributes(LoadBalancerArn=created, Attributes=attributes)
            for listener in lb["listeners"]:
                actions = []
                for action in listener["default_actions"]:
                    if action["type"] == "forward":
                        actions.append({"Type": "forward", "TargetGroupArn": target_group(action["target_group_arn"], lb)})
                    elif action["type"] == "redirect":
                        r = action["redirect"]
                        actions.append({"Type": "redirect", "RedirectConfig": {
                            "Protocol": r["protocol"], "Port": r["port"], "StatusCode": r["status_code"]}})
                    else:
                        raise SystemExit(f"{self.name}: listener action {action['type']}: not seeded")
                kw = {}
                if listener.get("ssl_policy"):
                    kw["SslPolicy"] = listener["ssl_policy"]
                certs = [self.certificate_arn(a) for a in listener.get("certificates", [])]
                if certs:
                    kw["Certificates"] = [{"CertificateArn": certs[0]}]
                arn = elb.create_listener(LoadBalancerArn=created, Protocol=listener["protocol"], Port=listener["port"],
                                          DefaultActions=actions, **kw)["Listeners"][0]["ListenerArn"]
                if len(certs) > 1:
                    elb.add_listener_certificates(ListenerArn=arn,
                                                  Certificates=[{"CertificateArn": c} for c in certs[1:]])
                self.ids[arn] = listener["arn"]

    def certificate_arn(self, fixture_arn):
        if ":server-certificate/" in fixture_arn:
            return fixture_arn  # IAM server certificates keep their name-based ARN
        return self.mapped(fixture_arn)

    def wafv2(self):
        waf = self.c("wafv2")
        for acl in self.data["wafv2"]["web_acls"]:
            rules = []
            for rule in acl["rules"]:
                visibility = {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True,
                              "MetricName": rule["name"]}
                if rule.get("managed_rule_group"):
                    group = rule["managed_rule_group"]
                    rules.append({"Name": rule["name"], "Priority": rule["priority"], "OverrideAction": {"None": {}},
                                  "Statement": {"ManagedRuleGroupStatement": {"VendorName": group["vendor"],
                                                                              "Name": group["name"]}},
                                  "VisibilityConfig": visibility})
                else:
                    rules.append({"Name": rule["name"], "Priority": rule["priority"], "Action": {rule["action"]: {}},
                                  "Statement": {"ByteMatchStatement": {
                                      "SearchString": b"krci.example.com", "PositionalConstraint": "ENDS_WITH",
                                      "FieldToMatch": {"SingleHeader": {"Name": "host"}},
                                      "TextTransformations": [{"Priority": 0, "Type": "LOWERCASE"}]}},
                                  "VisibilityConfig": visibility})
            summary = waf.create_web_acl(Name=acl["name"], Scope=acl["scope"], DefaultAction={acl["default_action"]: {}},
                                         Rules=rules, Tags=tag_list(acl["tags"]),
                                         VisibilityConfig={"SampledRequestsEnabled": True,
                                                           "CloudWatchMetricsEnabled": True,
                                                           "MetricName": acl["name"]})["Summary"]
            self.ids[summary["ARN"]] = acl["arn"]
            self.ids[summary["Id"]] = acl["id"]
            if acl["logging_enabled"]:
                raise SystemExit(f"{self.name}: web ACL {acl['name']} logs: teach seed_fixture.py to set it")
            for resource in acl["associated_resources"]:
                waf.associate_web_acl(WebACLArn=summary["ARN"], ResourceArn=self.mapped(resource))

    # --- Observability, secrets
    def logs(self):
        logs = self.c("logs")
        for group in self.data["logs"]["log_groups"]:
            kw = {"kmsKeyId": group["kms_key_id"]} if group.get("kms_key_id") else {}
            logs.create_log_group(logGroupName=group["name"], **kw)
            if group.get("retention_in_days"):
                logs.put_retention_policy(logGroupName=group["name"], retentionInDays=group["retention_in_days"])

    def opensearch(self):
        os_ = self.c("opensearch")
        for d in self.data["opensearch"]["domains"]:
            kw = {}
            if d.get("tls_security_policy"):
                kw["DomainEndpointOptions"] = {"EnforceHTTPS": d["enforce_https"],
                                               "TLSSecurityPolicy": d["tls_security_policy"]}
            else:
                kw["DomainEndpointOptions"] = {"EnforceHTTPS": d["enforce_https"]}
            if d.get("vpc_id"):
                kw["VPCOptions"] = {"SubnetIds": [self.mapped(i) for i in d.get("subnet_ids", [])]
                                    or self.subnets_of(d["vpc_id"], public=False)[:1],
                                    "SecurityGroupIds": self.groups_of(d.get("security_group_ids", []))}
            os_.create_domain(DomainName=d["name"], EngineVersion=d["engine_version"],
                              EncryptionAtRestOptions={"Enabled": d["encryption_at_rest"]},
                              NodeToNodeEncryptionOptions={"Enabled": d["node_to_node_encryption"]},
                              AdvancedSecurityOptions={"Enabled": d["fine_grained_access_control"]},
                              TagList=tag_list(d["tags"]), **kw)

    def amp(self):
        for ws in self.data["amp"]["workspaces"]:
            self.c("amp").create_workspace(alias=ws["alias"], tags=ws.get("tags") or {})
        for ws in self.data.get("grafana", {}).get("workspaces", []):
            self.skip(f"Grafana workspace {ws.get('name')}", "Managed Grafana is not in moto")

    def secrets(self):
        sm = self.c("secretsmanager")
        for s in self.data["secretsmanager"]["secrets"]:
            kw = {"KmsKeyId": s["kms_key_id"]} if s.get("kms_key_id") else {}
            arn = sm.create_secret(Name=s["name"], SecretString=PLACEHOLDER, Tags=tag_list(s["tags"]), **kw)["ARN"]
            if s["rotation_enabled"]:
                # moto turns rotation on from the rules alone (AWS also wants a rotation Lambda).
                sm.rotate_secret(SecretId=arn, RotationRules={"AutomaticallyAfterDays": s["rotation_days"]})
            if s.get("owning_service"):
                self.skip(f"owning service of secret {s['name']}", "only the owning service can create such a secret")
            self.ids[arn] = s["arn"]
        ssm = self.c("ssm")
        for p in self.data["ssm"]["parameters"]:
            kw = {"Description": p["description"]} if p.get("description") else {}
            if p["type"] == "SecureString" and p.get("key_id"):
                kw["KeyId"] = p["key_id"]
            ssm.put_parameter(Name=p["name"], Value=PLACEHOLDER, Type=p["type"], Tier=p["tier"], **kw)

    # --- Audit trail, threat detection and keys. Keys first: trails name theirs.
    def kms(self):
        kms = self.c("kms")
        for k in self.data.get("kms", {}).get("keys", []):
            created = kms.create_key(Description=k.get("description") or "", KeySpec=k["spec"],
                                     KeyUsage=k.get("usage") or "ENCRYPT_DECRYPT", Policy=json.dumps(k["policy"]),
                                     Tags=tag_list(k["tags"], "TagKey", "TagValue"))["KeyMetadata"]
            moto_id = created["KeyId"]
            self.ids[moto_id] = k["id"]
            for alias in k["aliases"]:
                kms.create_alias(AliasName=alias, TargetKeyId=moto_id)
            if k.get("rotation_enabled"):
                kms.enable_key_rotation(KeyId=moto_id)
            if k["state"] == "Disabled":
                kms.disable_key(KeyId=moto_id)
            elif k["state"] == "PendingDeletion":
                kms.schedule_key_deletion(KeyId=moto_id, PendingWindowInDays=7)
            elif k["state"] != "Enabled":
                self.skip(f"key {k['id']}", f"state {k['state']} cannot be made")

    def moto_key(self, fixture_arn):
        """The ARN of the key seeded for a fixture key ARN (the fixture's when it was not seeded)."""
        fixture_id = fixture_arn.rsplit("/", 1)[-1]
        try:
            return fixture_arn.replace(fixture_id, self.mapped(fixture_id))
        except KeyError:
            return fixture_arn

    def cloudtrail(self):
        ct = self.c("cloudtrail")
        for t in self.data.get("cloudtrail", {}).get("trails", []):
            if t["arn"].split(":")[4] != self.account:
                self.skip(f"trail {t['name']}", "moto shows an organization trail only to its own account")
                continue
            kw = {}
            if t.get("kms_key_id"):
                kw["KmsKeyId"] = self.moto_key(t["kms_key_id"])
            if t.get("s3_key_prefix"):
                kw["S3KeyPrefix"] = t["s3_key_prefix"]
            if t.get("cloudwatch_logs_log_group_arn"):
                kw["CloudWatchLogsLogGroupArn"] = t["cloudwatch_logs_log_group_arn"]
                kw["CloudWatchLogsRoleArn"] = f"arn:aws:iam::{self.account}:role/CloudTrailToCloudWatchLogs"
            ct.create_trail(Name=t["name"], S3BucketName=t["s3_bucket"], IsMultiRegionTrail=t["multi_region"],
                            IncludeGlobalServiceEvents=t["include_global_service_events"],
                            EnableLogFileValidation=t["log_file_validation"],
                            IsOrganizationTrail=t["organization_trail"], TagsList=tag_list(t.get("tags")), **kw)
            events = t.get("management_events", "All")
            ct.put_event_selectors(TrailName=t["name"], EventSelectors=[{
                "ReadWriteType": "All" if events == "None" else events,
                "IncludeManagementEvents": events != "None"}])
            if t.get("logging"):
                ct.start_logging(Name=t["name"])
            if t.get("latest_delivery_error"):
                self.skip(f"trail {t['name']}", "moto cannot fail a delivery")

    def guardduty(self):
        gd = self.c("guardduty")
        for d in self.data.get("guardduty", {}).get("detectors", []):
            plans = {}
            for name, status in d["features"].items():
                plan, _, extra = name.partition("/")
                entry = plans.setdefault(plan, {"Name": plan, "Status": d["features"].get(plan, "DISABLED")})
                if extra:
                    entry.setdefault("AdditionalConfiguration", []).append({"Name": extra, "Status": status})
            created = gd.create_detector(Enable=d["status"] == "ENABLED",
                                         FindingPublishingFrequency=d["finding_publishing_frequency"],
                                         Features=list(plans.values()), Tags=d.get("tags") or {})
            self.ids[created["DetectorId"]] = d["id"]

    def config(self):
        cfg = self.c("config")
        section = self.data.get("config", {})
        for r in section.get("recorders", []):
            if r.get("service_principal"):
                self.skip(f"recorder {r['name']}", "a service-linked recorder is made by its service")
                continue
            group = {"allSupported": r["all_supported"], "includeGlobalResourceTypes": r["include_global_resource_types"]}
            if r.get("recording_strategy"):
                group["recordingStrategy"] = {"useOnly": r["recording_strategy"]}
            if r["resource_types"]:
                group["resourceTypes"] = r["resource_types"]
            if r["excluded_resource_types"]:
                group["exclusionByResourceTypes"] = {"resourceTypes": r["excluded_resource_types"]}
            cfg.put_configuration_recorder(ConfigurationRecorder={"name": r["name"], "roleARN": r["role_arn"],
                                                                  "recordingGroup": group})
        for ch in section.get("delivery_channels", []):
            kw = {"s3KeyPrefix": ch["s3_key_prefix"]} if ch.get("s3_key_prefix") else {}
            if ch.get("sns_topic_arn"):
                kw["snsTopicARN"] = ch["sns_topic_arn"]
            cfg.put_delivery_channel(DeliveryChannel={"name": ch["name"], "s3BucketName": ch["s3_bucket"], **kw})
        for r in section.get("recorders", []):
            if r["recording"] and not r.get("service_principal"):
                cfg.start_configuration_recorder(ConfigurationRecorderName=r["name"])

    def securityhub(self):
        hub = self.c("securityhub")
        for h in self.data.get("securityhub", {}).get("hubs", []):
            hub.enable_security_hub(EnableDefaultStandards=False,
                                    ControlFindingGenerator=h.get("control_finding_generator", "SECURITY_CONTROL"))
            if h["standards"]:
                self.skip("Security Hub standards", "moto holds no standards subscriptions")

    def seed(self):
        self.kms()
        self.network()
        self.clusters()
        self.iam()
        self.compute()
        self.node_groups()
        self.s3()
        self.s3control()
        self.dynamodb()
        self.ecr()
        self.efs()
        self.rds()
        self.acm()
        self.elbv2()
        self.wafv2()
        self.logs()
        self.opensearch()
        self.amp()
        self.secrets()
        self.cloudtrail()
        self.guardduty()
        self.config()
        self.securityhub()


def certificate(domain, sans, not_after, algorithm):
    """A self-signed certificate and its key (PEM) valid until `not_after`."""
    if algorithm.startswith("EC"):
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(min(not_after, datetime.datetime.now(datetime.timezone.utc))
                                 - datetime.timedelta(days=365))
               .not_valid_after(not_after))
    names = [x509.DNSName(n) for n in dict.fromkeys([domain, *sans])]
    builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(key, hashes.SHA256())
    return (cert.public_bytes(serialization.Encoding.PEM).decode(),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()).decode())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--fixture", required=True)
    a = p.parse_args()
    with open(a.fixture) as f:
        fixture = json.load(f)
    # Dates relative to the fixture's own clock keep their distance to "now" (certificate expiry).
    shift = datetime.datetime.now(datetime.timezone.utc) - parse_time(fixture["generated_at"])

    mgmt = session_for(a.endpoint)
    org = mgmt("organizations", "us-east-1")
    org.create_organization(FeatureSet="ALL")
    management = mgmt("sts").get_caller_identity()["Account"]
    fixture_management = fixture["organization"]["management_account_id"]
    accounts = {}
    for acct in fixture["accounts"]:
        meta = acct["account"]
        if meta["id"] == fixture_management:
            accounts[meta["id"]] = management
            if meta["tags"]:
                org.tag_resource(ResourceId=management, Tags=tag_list(meta["tags"]))
            continue
        created = org.create_account(AccountName=meta["name"], Email=meta["email"], Tags=tag_list(meta["tags"]))
        accounts[meta["id"]] = created["CreateAccountStatus"]["AccountId"]

    text = json.dumps(fixture)
    for fixture_id, moto_id in accounts.items():
        text = text.replace(fixture_id, moto_id)
    rewritten = json.loads(text)

    ids, skipped = {}, []
    for acct in rewritten["accounts"]:
        account = acct["account"]["id"]
        if acct["regions"] != ["eu-central-1"]:
            raise SystemExit(f"{acct['account']['name']}: regions {acct['regions']}: only eu-central-1 is seeded")
        client = session_for(a.endpoint, None if account == management else account)
        Seeder(client, account, acct, shift, ids, skipped).seed()
    json.dump({"management": management, "accounts": accounts, "ids": ids, "skipped": skipped}, sys.stdout)


if __name__ == "__main__":
    main()
