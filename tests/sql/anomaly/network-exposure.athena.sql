-- runbook: anomaly/network-exposure
-- Security group, network ACL, route, gateway and VPC changes outside the pipeline

-- step 1: Firewall and routing changes outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.groupId, requestParameters.networkAclId, requestParameters.routeTableId, requestParameters.cidrBlock, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'ec2.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'ModifySecurityGroupRules', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'CreateNetworkAclEntry', 'ReplaceNetworkAclEntry', 'DeleteNetworkAclEntry', 'CreateNetworkAcl', 'DeleteNetworkAcl', 'ReplaceNetworkAclAssociation', 'CreateRoute', 'ReplaceRoute', 'DeleteRoute', 'CreateRouteTable', 'DeleteRouteTable', 'AssociateRouteTable', 'DisassociateRouteTable', 'ReplaceRouteTableAssociation', 'CreateInternetGateway', 'AttachInternetGateway', 'DetachInternetGateway', 'DeleteInternetGateway', 'CreateVpcPeeringConnection', 'AcceptVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'EnableVpcClassicLink', 'DisableVpcClassicLink', 'CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachVpnGateway', 'DetachVpnGateway', 'CreateNatGateway', 'DeleteNatGateway');

-- step 2: Rules open to the whole internet
-- finished locally: filter 'requestParameters.ipPermissions =~': a regex whose syntax differs in SQL
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, event, requestParameters.groupId, requestParameters.networkAclId, requestParameters.cidrIp, requestParameters.fromPort, requestParameters.toPort, requestParameters.ipPermission
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'ec2.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('AuthorizeSecurityGroupIngress', 'CreateNetworkAclEntry', 'ReplaceNetworkAclEntry');

-- step 3: All network changes in the window
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", NULLIF(eventname, '') AS "event", COUNT(*) AS "count", MIN(eventtime) AS "first", MAX(eventtime) AS "last"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 'ec2.amazonaws.com' AND (readonly IS NULL OR readonly <> 'true') AND eventname IN ('AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'ModifySecurityGroupRules', 'CreateNetworkAclEntry', 'ReplaceNetworkAclEntry', 'DeleteNetworkAclEntry', 'CreateRoute', 'ReplaceRoute', 'DeleteRoute')
GROUP BY 1, 2
ORDER BY MIN(eventtime);
