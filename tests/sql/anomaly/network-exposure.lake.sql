-- runbook: anomaly/network-exposure
-- Security group, network ACL, route, gateway and VPC changes outside the pipeline

-- step 1: Firewall and routing changes outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.groupId, requestParameters.networkAclId, requestParameters.routeTableId, requestParameters.cidrBlock, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'ec2.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'ModifySecurityGroupRules', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'CreateNetworkAclEntry', 'ReplaceNetworkAclEntry', 'DeleteNetworkAclEntry', 'CreateNetworkAcl', 'DeleteNetworkAcl', 'ReplaceNetworkAclAssociation', 'CreateRoute', 'ReplaceRoute', 'DeleteRoute', 'CreateRouteTable', 'DeleteRouteTable', 'AssociateRouteTable', 'DisassociateRouteTable', 'ReplaceRouteTableAssociation', 'CreateInternetGateway', 'AttachInternetGateway', 'DetachInternetGateway', 'DeleteInternetGateway', 'CreateVpcPeeringConnection', 'AcceptVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'EnableVpcClassicLink', 'DisableVpcClassicLink', 'CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachVpnGateway', 'DetachVpnGateway', 'CreateNatGateway', 'DeleteNatGateway');

-- step 2: Rules open to the whole internet
-- finished locally: filter 'requestParameters.ipPermissions =~': a regex whose syntax differs in SQL
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, event, requestParameters.groupId, requestParameters.networkAclId, requestParameters.cidrIp, requestParameters.fromPort, requestParameters.toPort, requestParameters.ipPermission
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'ec2.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('AuthorizeSecurityGroupIngress', 'CreateNetworkAclEntry', 'ReplaceNetworkAclEntry');

-- step 3: All network changes in the window
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", NULLIF(eventName, '') AS "event", COUNT(*) AS "count", MIN(eventTime) AS "first", MAX(eventTime) AS "last"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 'ec2.amazonaws.com' AND (CAST(readOnly AS varchar) IS NULL OR CAST(readOnly AS varchar) <> 'true') AND eventName IN ('AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'ModifySecurityGroupRules', 'CreateNetworkAclEntry', 'ReplaceNetworkAclEntry', 'DeleteNetworkAclEntry', 'CreateRoute', 'ReplaceRoute', 'DeleteRoute')
GROUP BY 1, 2
ORDER BY MIN(eventTime);
