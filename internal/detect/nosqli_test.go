package detect

import (
	"testing"

	"github.com/rampartwaf/rampart/internal/request"
)

func TestNoSQLi(t *testing.T) {
	q := func(v string) request.Param { return request.Param{Source: request.SourceQuery, Name: "q", Value: v} }
	key := func(src request.Source, name, v string) request.Param {
		return request.Param{Source: src, Name: name, Value: v, Key: true}
	}
	tests := []struct {
		name  string
		param request.Param
		want  bool
	}{
		{"json operator key", key(request.SourceJSON, "password.$ne", "$ne"), true},
		{"json where key", key(request.SourceJSON, "$where", "$where"), true},
		{"json regex key", key(request.SourceMessage, "user.$regex", "$regex"), true},
		{"query operator name", key(request.SourceQuery, "user[$ne]", "user[$ne]"), true},
		{"form nested operator", key(request.SourceForm, "login[password][$gt]", "login[password][$gt]"), true},
		{"cookie operator", key(request.SourceCookie, "token[$exists]", "token[$exists]"), true},
		{"dotted operator", key(request.SourceQuery, "age.$gt", "age.$gt"), true},
		{"dsl where operator", key(request.SourceQuery, "filters[$where]", "filters[$where]"), true},
		{"object in value", q(`{"$gt": ""}`), true},
		{"shell object", q("{ $ne: 1 }"), true},
		{"shell regex", q("{username: {$regex: /^adm/}}"), true},
		{"shell in list", q("{ role: { $in: ['admin'] } }"), true},
		{"where function", q("{$where: function() { return true }}"), true},
		{"single quotes", q("{'$regex': '^adm'}"), true},
		{"where breakout", q("', $where: 'sleep(100) || 1'"), true},
		{"where after literal", q("true, $where: '1 == 1'"), true},
		{"or breakout", q("x', $or: [ {}, { 'a':'a"), true},
		{"bracket in value", q("[$ne]=1"), true},
		{"bracket name in value", q("u_id[$regex]"), true},
		{"js this", q("' && this.password.match(/^a/)//"), true},
		{"js sleep", q("';sleep(5000);'"), true},
		{"js return", q("x';return true;var y='"), true},
		{"js return paren", q(`";return(true);var a='`), true},
		{"js numeric return", q("1;return true"), true},
		{"js tautology", q("|| 1==1"), true},
		{"js string tautology", q("' || 'a'=='a"), true},
		{"js busy loop", q("';d=new Date();do{c=new Date();}while(c-d<5000);"), true},
		{"js path segment", request.Param{Source: request.SourcePath, Name: "path[3]", Value: "42||this.product"}, true},
		{"mongo shell", q("db.users.insert({admin:1});"), true},
		{"mongo shell after breakout", q("'; db.dropDatabase();"), true},
		{"mongo get collection", q("db.getCollection('users').find()"), true},
		// benign
		{"price", q("costs $5 or $6"), false},
		{"odata name", key(request.SourceQuery, "$filter", "$filter"), false},
		{"soql where", key(request.SourceQuery, "$where", "$where"), false},
		{"strapi filter", key(request.SourceQuery, "filters[title][$eq]", "filters[title][$eq]"), false},
		{"strapi or", key(request.SourceQuery, "filters[$or][0][date][$gt]", "filters[$or][0][date][$gt]"), false},
		{"json schema ref", key(request.SourceJSON, "$ref", "$ref"), false},
		{"json schema comment", key(request.SourceJSON, "props.$comment", "$comment"), false},
		{"jsonnet type", key(request.SourceJSON, "$type", "$type"), false},
		{"template", q("Hello ${name}, welcome"), false},
		{"php ternary", q("$x = $a ? $gt : $lt;"), false},
		{"php variable", q("$where = array('id' => 5);"), false},
		{"shell var", q("echo $in:$out"), false},
		{"prose done return", q("Done; return the book by Friday"), false},
		{"prose and", q("salt && pepper"), false},
		{"code snippet", q(`var s = "x"; if (a) { b(); }`), false},
		{"prose this", q("He said 'yes' && this was fine"), false},
		{"dev mention", q("I use mongodb.users for data"), false},
		{"email", q("db.admin@example.com"), false},
		{"comparison", q("a == b"), false},
		{"dollar key json", key(request.SourceJSON, "prices.$usd", "$usd"), false},
		{"extended json", key(request.SourceJSON, "_id.$oid", "$oid"), false},
		{"inc word", q("{$inc is used for counters}"), false},
		{"json schema comment in value", q(`{'type': 'string', '$comment': 'Should be a path'}`), false},
		{"comment breakout", q("' } ], $comment:'injected'"), true},
		{"prose semicolon", q("Meet at 5; return by 7"), false},
		{"boolean words", q("true && false"), false},
		{"irish name", q("O'Brien; returns accepted"), false},
		{"prices", q("$100 for 2; $50 for 1"), false},
		{"shell and", q("npm run build && npm test"), false},
		{"currency json", q(`{"price":{"currency":"$","amount":5}}`), false},
		{"natural sort", key(request.SourceQuery, "sort[$natural]", "sort[$natural]"), false},
		{"mixpanel set", key(request.SourceJSON, "mixpanel.$set", "$set"), false},
		{"js prose", q("this.state is undefined"), false},
		{"db hostname", q("db.example.com is down"), false},
		{"graphql where variable", q(`{"query":"query Users($where: users_bool_exp!) { users(where: $where) { id } }"}`), false},
		{"graphql list variable", q("query Q($in: [ID!]!, $text: String) { x }"), false},
		{"graphql text default", q(`query S($text: String = "a") { s(q: $text) }`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.param
			f, got := matchNoSQLi(&p, p.Value)
			if got != tt.want {
				t.Errorf("matchNoSQLi(%q) = %v (%q), want %v", p.Value, got, f, tt.want)
			}
		})
	}
}

// TestNoSQLiDSLAndCredentials covers the query DSLs that take operators on purpose
// (Strapi filters, Parse's where, the Atlas Data API's filter, an aggregation
// pipeline), operators on credentials under them, $type with a BSON type, and
// $lookup reading an accounts collection.
func TestNoSQLiDSLAndCredentials(t *testing.T) {
	key := func(src request.Source, name, v string) request.Param {
		return request.Param{Source: src, Name: name, Value: v, Key: true}
	}
	val := func(src request.Source, name, v string) request.Param {
		return request.Param{Source: src, Name: name, Value: v}
	}
	const (
		qs   = request.SourceQuery
		form = request.SourceForm
		js   = request.SourceJSON
		msg  = request.SourceMessage
	)
	tests := []struct {
		name  string
		param request.Param
		want  bool
	}{
		// operators on credentials, under a DSL root or not
		{"strapi filter on password", key(qs, "filter[password][$ne]", "filter[password][$ne]"), true},
		{"where on password", key(qs, "where[password][$ne]", "where[password][$ne]"), true},
		{"filters on reset token", key(qs, "filters[resetPasswordToken][$exists]", "filters[resetPasswordToken][$exists]"), true},
		{"where on api key regex", key(form, "where[api_key][$regex]", "where[api_key][$regex]"), true},
		{"json filter on password", key(js, "filter.password.$ne", "$ne"), true},
		{"json where on secret", key(msg, "where.client_secret.$gt", "$gt"), true},
		{"parse where on password", val(qs, "where", `{"password":{"$ne":null}}`), true},
		{"filter value on pwd, unquoted", val(qs, "filter", "{pwd: {$regex: '^a'}}"), true},
		{"where value with js", val(qs, "where", `{"$where":"sleep(5000)"}`), true},
		// $expr compares fields and reads them out: under a DSL root too
		{"where expr substr of password", key(js, "where.$expr", "$expr"), true},
		{"filter expr", key(msg, "filter.$and[0].$expr", "$expr"), true},
		{"where value with expr", val(qs, "where", `{"username":"admin","$expr":{"$eq":[{"$substrCP":["$password",0,1]},"a"]}}`), true},
		{"where expr in query name", key(qs, "where[$expr][$eq][0]", "where[$expr][$eq][0]"), true},
		// hashes, reset codes and whatever request.LooksSecret names, under a DSL root
		{"json filter on password hash", key(js, "filter.passwordHash.$regex", "$regex"), true},
		{"json where on reset code", key(js, "where.resetCode.$regex", "$regex"), true},
		{"json filter on pass_hash", key(js, "filter.pass_hash.$gt", "$gt"), true},
		{"json filter on salt", key(js, "filter.salt.$regex", "$regex"), true},
		{"json where on verification code", key(msg, "where.verification_code.$gte", "$gte"), true},
		{"json filter on session id", key(js, "filter.sessionId.$regex", "$regex"), true},
		{"parse where on password hash", val(qs, "where", `{"passwordHash":{"$regex":"^a"}}`), true},
		{"where value on reset code", val(qs, "where", `{"email":"victim@x.com","resetCode":{"$regex":"^1"}}`), true},
		{"strapi filter on password hash", key(qs, "filter[passwordHash][$regex]", "filter[passwordHash][$regex]"), true},
		{"strapi filters on hashed password regex", key(qs, "filters[hashed_password][$regex]", "filters[hashed_password][$regex]"), true},
		{"strapi filters on mfa code", key(form, "filters[mfaCode][$lt]", "filters[mfaCode][$lt]"), true},
		// a pipeline that writes a collection
		{"pipeline merge", key(js, "pipeline[1].$merge", "$merge"), true},
		{"pipeline out", key(js, "pipeline[1].$out", "$out"), true},
		{"pipeline value merge", val(qs, "pipeline", `[{"$set":{"role":"admin"}},{"$merge":{"into":"users"}}]`), true},
		{"pipeline value out", val(qs, "pipeline", `[{"$match":{}},{"$out":"users"}]`), true},
		{"pipeline merge in query name", key(qs, "pipeline[1][$merge][into]", "pipeline[1][$merge][into]"), true},
		// $type
		{"type in query name", val(qs, "pass[$type]", "2"), true},
		{"type alias in form name", val(form, "user[password][$type]", "string"), true},
		{"type on json credential", val(js, "pass.$type", "string"), true},
		{"type key on json credential", key(js, "pass.$type", "$type"), true},
		{"type in value on credential", val(qs, "q", `{"password": {"$type": "string"}}`), true},
		// $lookup of accounts
		{"lookup users", val(js, "pipeline[0].$lookup.from", "users"), true},
		{"graph lookup system users", val(js, "p[1].$graphLookup.from", "system.users"), true},
		{"union with sessions", val(msg, "pipeline[2].$unionWith", "sessions"), true},
		// query DSLs
		{"strapi equality on token", key(qs, "filters[token][$eq]", "filters[token][$eq]"), false},
		{"strapi username eq", key(qs, "filters[username][$eq]", "filters[username][$eq]"), false},
		{"atlas filter in", key(js, "filter.status.$in", "$in"), false},
		{"atlas filter regex", key(js, "filter.email.$regex", "$regex"), false},
		{"atlas filter lt", key(js, "filter.stock.$lt", "$lt"), false},
		{"pipeline match", key(js, "pipeline[0].$match.total.$gt", "$gt"), false},
		{"parse where range", val(qs, "where", `{"score":{"$gte":1000,"$lte":3000},"playerName":{"$in":["Jonathan Walsh"]}}`), false},
		{"restheart filter", val(qs, "filter", `{"name":{"$regex":"^Jo"}}`), false},
		{"filter on a passenger field", key(qs, "filter[passengers][$gt]", "filter[passengers][$gt]"), false},
		{"filter on shipping", key(qs, "filter[shipping][$ne]", "filter[shipping][$ne]"), false},
		{"jsonnet type", val(js, "item.$type", "MyApp.Models.Item, MyApp"), false},
		{"type alias not on credential in json", val(js, "schema.$type", "string"), false},
		{"jquery param of jsonnet type", val(form, "item[$type]", "MyApp.Models.Item, MyApp"), false},
		{"type key in json", key(js, "item.$type", "$type"), false},
		{"lookup customers", val(js, "pipeline[4].$lookup.from", "customers"), false},
		{"atlas filter on hashtag", key(js, "filter.hashtags.$in", "$in"), false},
		{"atlas filter on cardinality", key(js, "filter.cardinality.$gt", "$gt"), false},
		{"atlas filter gte on total", key(js, "filter.total.$gte", "$gte"), false},
		{"parse where regex on name", val(qs, "where", `{"name":{"$regex":"^Jo"},"createdAt":{"$gte":{"__type":"Date","iso":"2024-01-01T00:00:00Z"}}}`), false},
		{"pipeline match group", val(qs, "pipeline", `[{"$match":{"status":{"$in":["A","B"]}}},{"$group":{"_id":"$cust","n":{"$sum":1}}}]`), false},
		{"lookup from other name", val(js, "pipeline[0].$lookup.localField", "users"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.param
			_, got := matchNoSQLi(&p, p.Value)
			if got != tt.want {
				t.Errorf("matchNoSQLi(%s %q = %q, key %v) = %v, want %v", p.Source, p.Name, p.Value, p.Key, got, tt.want)
			}
		})
	}
}
