-- runbook: exfiltration/s3-bucket-exposure
-- S3 bucket policies, ACLs, public access blocks and lifecycle rules changed

-- step 1: Bucket access, retention and replication changed outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.bucketName, requestParameters.bucketPolicy, requestParameters.LifecycleConfiguration, ip, ua, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 's3.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND eventName IN ('PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock', 'PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock', 'PutBucketLifecycle', 'DeleteBucketLifecycle', 'PutBucketReplication', 'DeleteBucketReplication', 'PutBucketVersioning', 'DeleteBucketEncryption', 'PutBucketOwnershipControls', 'PutBucketLogging');

-- step 2: Buckets opened to everyone
-- finished locally: filter 'requestParameters.bucketPolicy =~': a regex whose syntax differs in SQL
-- finished locally: filter 'requestParameters.x-amz-acl in public-read, public-read-write, authenticated-read': not a column of the event data store (maps have one level)
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, event, requestParameters.bucketName, requestParameters.bucketPolicy, ip, eventID
SELECT *
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 's3.amazonaws.com' AND (errorCode IS NULL OR errorCode = '') AND ((eventName = 'PutBucketPolicy' OR eventName = 'PutBucketAcl') OR eventName IN ('DeleteBucketPublicAccessBlock', 'DeleteAccountPublicAccessBlock'));

-- step 3: Bucket configuration changes per principal
SELECT COALESCE(NULLIF(userIdentity.arn, ''), CASE WHEN userIdentity.type = 'AWSService' THEN NULLIF(userIdentity.invokedBy, '') WHEN COALESCE(userIdentity.type, '') = '' THEN COALESCE(NULLIF(userIdentity.invokedBy, ''), NULLIF(userIdentity.principalId, '')) ELSE NULLIF(userIdentity.principalId, '') END, NULLIF(userIdentity.accountId, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventName, '')) FILTER (WHERE NULLIF(eventName, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT element_at(requestParameters, 'bucketName')) FILTER (WHERE element_at(requestParameters, 'bucketName') IS NOT NULL)), 1, 100), ',') AS "buckets"
FROM EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE
WHERE eventTime >= '2026-11-01 00:00:00' AND eventTime <= '2026-11-15 00:00:00' AND eventSource = 's3.amazonaws.com' AND (CAST(readOnly AS varchar) IS NULL OR CAST(readOnly AS varchar) <> 'true') AND (eventName IS NULL OR eventName = '' OR NOT lower(eventName) LIKE '%object%' ESCAPE '\')
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventTime);
