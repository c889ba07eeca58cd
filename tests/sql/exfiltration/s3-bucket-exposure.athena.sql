-- runbook: exfiltration/s3-bucket-exposure
-- S3 bucket policies, ACLs, public access blocks and lifecycle rules changed

-- step 1: Bucket access, retention and replication changed outside the pipeline
-- finished locally: filter 'principal not in @approved-provisioners': @lists are resolved locally
-- finished locally: stage | fields time, principal, event, requestParameters.bucketName, requestParameters.bucketPolicy, requestParameters.LifecycleConfiguration, ip, ua, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 's3.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND eventname IN ('PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock', 'PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock', 'PutBucketLifecycle', 'DeleteBucketLifecycle', 'PutBucketReplication', 'DeleteBucketReplication', 'PutBucketVersioning', 'DeleteBucketEncryption', 'PutBucketOwnershipControls', 'PutBucketLogging');

-- step 2: Buckets opened to everyone
-- finished locally: filter 'requestParameters.bucketPolicy =~': a regex whose syntax differs in SQL
-- finished locally: filter 'requestParameters.x-amz-acl in public-read, public-read-write, authenticated-read': not a column of the table
-- finished locally: filter: an 'or' containing a part SQL cannot express (matched locally)
-- finished locally: stage | fields time, principal, event, requestParameters.bucketName, requestParameters.bucketPolicy, ip, eventID
SELECT *
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 's3.amazonaws.com' AND (errorcode IS NULL OR errorcode = '') AND ((eventname = 'PutBucketPolicy' OR eventname = 'PutBucketAcl') OR eventname IN ('DeleteBucketPublicAccessBlock', 'DeleteAccountPublicAccessBlock'));

-- step 3: Bucket configuration changes per principal
SELECT COALESCE(NULLIF(useridentity.arn, ''), CASE WHEN useridentity.type = 'AWSService' THEN NULLIF(useridentity.invokedby, '') WHEN COALESCE(useridentity.type, '') = '' THEN COALESCE(NULLIF(useridentity.invokedby, ''), NULLIF(useridentity.principalid, '')) ELSE NULLIF(useridentity.principalid, '') END, NULLIF(useridentity.accountid, '')) AS "principal", COUNT(*) AS "count", array_join(slice(array_sort(array_agg(DISTINCT NULLIF(eventname, '')) FILTER (WHERE NULLIF(eventname, '') IS NOT NULL)), 1, 100), ',') AS "events", array_join(slice(array_sort(array_agg(DISTINCT json_extract_scalar(requestparameters, '$.bucketName')) FILTER (WHERE json_extract_scalar(requestparameters, '$.bucketName') IS NOT NULL)), 1, 100), ',') AS "buckets"
FROM db.cloudtrail_logs
WHERE eventtime >= '2026-11-01T00:00:00Z' AND eventtime <= '2026-11-15T00:00:00Z' AND eventsource = 's3.amazonaws.com' AND (readonly IS NULL OR readonly <> 'true') AND (eventname IS NULL OR eventname = '' OR NOT lower(eventname) LIKE '%object%' ESCAPE '\')
GROUP BY 1
ORDER BY "count" DESC NULLS LAST, MIN(eventtime);
