// duckdb.cjs DIR count|group — DuckDB's read_json with a declared schema over the same
// files trailguide reads, for bench/run.sh. Prints one number (count, or group rows).
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
	const [dir, what] = process.argv.slice(2);
	const glob = `${dir}/AWSLogs/*/*/CloudTrail/*/*/*/*/*.json.gz`;
	const src = `(SELECT unnest(Records) AS r FROM read_json('${glob}', format='auto',
		columns={Records: 'STRUCT(eventName VARCHAR)[]'}))`;
	const sql = what === 'count'
		? `SELECT count(*) FROM ${src} WHERE r.eventName = 'CreateUser'`
		: `SELECT count(*) FROM (SELECT r.eventName, count(*) FROM ${src} GROUP BY 1)`;
	const inst = await DuckDBInstance.create(':memory:');
	const conn = await inst.connect();
	const reader = await conn.runAndReadAll(sql);
	console.log(String(reader.getRows()[0][0]));
})().catch((e) => { console.error(e.message); process.exit(1); });
