package io.maestro.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.maestro.api.BadInputCase.GET_BODY;
import static io.maestro.api.BadInputCase.of;
import static io.maestro.api.BadInputCase.raw;

/**
 * The bad-input corpus (issue 2): malformed requests of every kind and every write method, list
 * queries and path ids, each with the status and the error fields it must get; and read-only
 * fields sent back, which must be accepted and ignored. Read by {@link BadInputApiTest}.
 */
final class BadInputCorpus {
    private BadInputCorpus() {
    }

    static final String SRV = "'hostname':'h1'";

    static List<BadInputCase> cases() {
        List<BadInputCase> c = new ArrayList<>();
        body(c);
        types(c);
        blanks(c);
        servers(c);
        applications(c);
        databases(c);
        loadbalancers(c);
        datacenters(c);
        systems(c);
        clients(c);
        volumes(c);
        catalog(c);
        media(c);
        queries(c);
        pathIds(c);
        sizes(c);
        accepted(c);
        return c;
    }

    // ---- the body is not one JSON object

    static void body(List<BadInputCase> c) {
        c.add(raw("broken JSON", "POST", "/servers", "{\"hostname\": \"a\",}").fields("body"));
        c.add(raw("truncated JSON", "POST", "/servers", "{\"hostname\": \"a\"").fields("body"));
        c.add(raw("truncated inside a string", "PUT", "/servers/$srv", "{\"hostname\": \"a").fields("body"));
        c.add(raw("empty body", "POST", "/servers", "").fields("body"));
        c.add(raw("empty body", "PUT", "/applications/$app", "").fields("body"));
        c.add(raw("empty body", "PATCH", "/servers/$srv", "").fields("body"));
        c.add(raw("whitespace only", "POST", "/clients", "  \n ").fields("body"));
        c.add(of("binary garbage", "POST", "/applications", new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x89, 'P', 'N', 'G'}).fields("body"));
        c.add(of("binary garbage", "PATCH", "/databases/$db", new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0}).fields("body"));
        c.add(of("invalid UTF-8 inside a string", "POST", "/servers",
                bytes("{\"hostname\":\"h1\",\"description\":\"caf", new byte[]{(byte) 0xe9}, "\"}")).fields("body"));
        c.add(raw("JSON array instead of an object", "POST", "/databases", "[{\"name\":\"x\",\"engine\":\"Oracle\"}]").fields("body"));
        c.add(raw("JSON string instead of an object", "POST", "/loadbalancers", "\"lb1\"").fields("body"));
        c.add(raw("JSON number instead of an object", "POST", "/datacenters", "42").fields("body"));
        c.add(raw("JSON true instead of an object", "PUT", "/datacenters/$dc", "true").fields("body"));
        c.add(raw("JSON null instead of an object", "POST", "/systems", "null").fields("body"));
        c.add(raw("JSON patch array instead of a merge patch", "PATCH", "/applications/$app",
                "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"x\"}]").fields("body"));
        c.add(raw("JSON string instead of a merge patch", "PATCH", "/clients/$cli", "\"name\"").fields("body"));
        c.add(raw("trailing garbage after the object", "POST", "/clients", "{\"name\":\"c1\"} xyz").fields("body"));
        c.add(raw("two objects", "POST", "/services", "{\"name\":\"a\"}{\"name\":\"b\"}").fields("body"));
        c.add(raw("trailing comma and bracket", "PUT", "/clients/$cli", "{\"name\":\"c1\"}]").fields("body"));
        c.add(raw("single-quoted JSON", "POST", "/servers", "{'hostname':'h1'}").fields("body"));
        c.add(raw("comment in JSON", "POST", "/servers", "{\"hostname\":\"h1\" /* web */}").fields("body"));
        c.add(raw("unquoted key", "POST", "/servers", "{hostname:\"h1\"}").fields("body"));
        c.add(raw("NaN literal", "POST", "/servers", "{\"hostname\":\"h1\",\"cpu\":NaN}").fields("body"));
        c.add(raw("Infinity literal", "POST", "/servers", "{\"hostname\":\"h1\",\"memory\":Infinity}").fields("body"));
        c.add(raw("leading zeros in a number", "POST", "/servers", "{\"hostname\":\"h1\",\"cpu\":007}").fields("body"));
        c.add(raw("hex number", "POST", "/servers", "{\"hostname\":\"h1\",\"cpu\":0x10}").fields("body"));
        c.add(raw("deeply nested arrays (depth 100)", "POST", "/providers",
                "{\"name\":\"p\",\"regions\":" + "[".repeat(100) + "]".repeat(100) + "}").fields("body"));
        c.add(raw("deeply nested free-form role (depth 100)", "POST", "/applications",
                "{\"name\":\"a\",\"role\":" + "{\"x\":".repeat(100) + "1" + "}".repeat(100) + "}").fields("body"));
        c.add(raw("deeply nested patch (depth 100)", "PATCH", "/databases/$db",
                "{\"spec\":" + "{\"x\":".repeat(100) + "1" + "}".repeat(100) + "}").fields("body"));
        c.add(raw("number with 200 digits", "POST", "/servers", "{\"hostname\":\"h1\",\"cpu\":" + "9".repeat(200) + "}").fields("body"));
        c.add(raw("duplicate key", "POST", "/servers", "{\"hostname\":\"a\",\"hostname\":\"b\"}").fields("hostname"));
        c.add(raw("duplicate nested key", "PATCH", "/servers/$srv", "{\"os\":{\"base\":\"Linux\",\"base\":\"Windows\"}}").fields("os.base"));
        c.add(raw("duplicate key in a list item", "PUT", "/clients/$cli",
                "{\"name\":\"c1\",\"contacts\":[{\"channel\":\"Email\",\"value\":\"a@b.c\",\"value\":\"d@e.f\"}]}").fields("contacts[0].value"));
        c.add(raw("NUL character in a string", "POST", "/servers", "{\"hostname\":\"h1\",\"name\":\"web\\u0000\"}").fields("name"));
        c.add(raw("NUL character in a text", "POST", "/clients", "{\"name\":\"c1\",\"description\":\"a\\u0000b\"}").fields("description"));
        c.add(raw("NUL character in a free-form value", "POST", "/applications", "{\"name\":\"a\",\"role\":{\"endpoint\":\"x\\u0000\"}}")
                .fields("role.endpoint"));
        c.add(raw("NUL character in a key", "POST", "/applications", "{\"name\":\"a\",\"role\":{\"a\\u0000b\":1}}").fields("role"));
        c.add(raw("NUL character in a catalog name", "POST", "/datacenters", "{\"name\":\"d\",\"provider\":\"AWS\\u0000\"}").fields("provider"));
        c.add(raw("NUL character in a tag value", "PATCH", "/servers/$srv", "{\"tags\":[{\"key\":\"k\",\"value\":\"\\u0000\"}]}")
                .fields("tags[0].value"));
        c.add(raw("unpaired surrogate in a string", "POST", "/clients", "{\"name\":\"c\\ud800\"}").fields("name"));
        c.add(raw("unpaired surrogate in a secret", "POST", "/servers",
                "{\"hostname\":\"h1\",\"auth\":[{\"name\":\"ops\",\"secret\":\"\\udfff\"}]}").fields("auth[0].secret"));
        c.add(raw("number too large for a double", "POST", "/servers", "{\"hostname\":\"h1\",\"memory\":1e400}").fields("memory"));
        c.add(raw("number too large for a double in free-form", "POST", "/databases",
                "{\"name\":\"d\",\"engine\":\"Redis\",\"spec\":{\"port\":-1e999}}").fields("spec.port"));
    }

    // ---- wrong JSON types for every scalar type

    /** "" or blanks where no free text belongs (issue 11): 400 naming the field, not a silent null (BlankValuesApiTest: every field). */
    static void blanks(List<BadInputCase> c) {
        c.add(of("empty string for integer", "POST", "/servers", "{" + SRV + ",'cpu':''}").fields("cpu"));
        c.add(of("blank string for number", "POST", "/servers", "{" + SRV + ",'memory':' '}").fields("memory"));
        c.add(of("empty string for object list", "POST", "/servers", "{" + SRV + ",'storage':''}").fields("storage"));
        c.add(of("empty string for option", "POST", "/servers", "{" + SRV + ",'environment':''}").fields("environment"));
        c.add(of("empty string for IPv4", "POST", "/servers", "{" + SRV + ",'ipv4_private':''}").fields("ipv4_private"));
        c.add(of("blank string for IPv4", "PATCH", "/servers/$srv", "{'ipv4_private':'   '}").fields("ipv4_private"));
        c.add(of("empty string for integer", "PATCH", "/servers/$srv", "{'cpu':''}").fields("cpu"));
        c.add(of("empty string for object", "PUT", "/servers/$srv", "{" + SRV + ",'os':''}").fields("os"));
        c.add(of("empty string for boolean", "POST", "/servers", "{" + SRV + ",'storage':[{'name':'root','root':''}]}").fields("storage[0].root"));
        c.add(of("empty string for contacts", "POST", "/clients", "{'name':'c1','contacts':''}").fields("contacts"));
        c.add(of("empty string for regions", "POST", "/providers", "{'name':'p1','regions':''}").fields("regions"));
        c.add(of("empty string for regions", "POST", "/datacenters", "{'name':'d1','regions':''}").fields("regions"));
        c.add(of("empty string for links", "POST", "/systems", "{'name':'s1','links':''}").fields("links"));
        c.add(of("empty string for id list", "POST", "/applications", "{'name':'a','server_ids':''}").fields("server_ids"));
        c.add(of("empty string for catalog name", "POST", "/loadbalancers", "{'name':'l','service':''}").fields("service"));
        c.add(of("empty string for free-form object", "POST", "/applications", "{'name':'a','role':''}").fields("role"));
        c.add(of("empty string for database engine", "POST", "/databases", "{'name':'d','engine':''}").fields("engine"));
        c.add(of("empty string for tags", "POST", "/servers", "{" + SRV + ",'tags':''}").fields("tags"));
    }

    static void types(List<BadInputCase> c) {
        c.add(of("string for integer", "POST", "/servers", "{" + SRV + ",'cpu':'4'}").fields("cpu"));
        c.add(of("boolean for integer", "POST", "/servers", "{" + SRV + ",'cpu':true}").fields("cpu"));
        c.add(of("object for integer", "POST", "/servers", "{" + SRV + ",'cpu':{'n':4}}").fields("cpu"));
        c.add(of("array for integer", "POST", "/servers", "{" + SRV + ",'cpu':[4]}").fields("cpu"));
        c.add(of("float for integer", "POST", "/servers", "{" + SRV + ",'cpu':2.5}").fields("cpu"));
        c.add(of("negative integer", "POST", "/servers", "{" + SRV + ",'cpu':-1}").fields("cpu"));
        c.add(of("integer overflow 1e30", "POST", "/servers", "{" + SRV + ",'cpu':1e30}").fields("cpu"));
        c.add(of("integer overflow 20 digits", "POST", "/servers", "{" + SRV + ",'cpu':99999999999999999999}").fields("cpu"));
        c.add(of("integer above the maximum", "POST", "/servers", "{" + SRV + ",'cpu':100001}").fields("cpu"));
        c.add(of("string for number", "POST", "/servers", "{" + SRV + ",'memory':'8GB'}").fields("memory"));
        c.add(of("NaN-like string for number", "POST", "/servers", "{" + SRV + ",'memory':'NaN'}").fields("memory"));
        c.add(of("Infinity string for number", "POST", "/servers", "{" + SRV + ",'memory':'Infinity'}").fields("memory"));
        c.add(of("negative number", "POST", "/servers", "{" + SRV + ",'memory':-0.5}").fields("memory"));
        c.add(of("boolean for number", "POST", "/servers", "{" + SRV + ",'memory':false}").fields("memory"));
        c.add(of("number for string", "POST", "/servers", "{'hostname':12345}").fields("hostname"));
        c.add(of("object for string", "POST", "/servers", "{'hostname':{'name':'h1'}}").fields("hostname"));
        c.add(of("array for string", "POST", "/servers", "{'hostname':['h1']}").fields("hostname"));
        c.add(of("boolean for string", "POST", "/clients", "{'name':true}").fields("name"));
        c.add(of("number for text", "POST", "/clients", "{'name':'c1','description':42}").fields("description"));
        c.add(of("number for option", "POST", "/servers", "{" + SRV + ",'environment':1}").fields("environment"));
        c.add(of("object for option", "POST", "/applications", "{'name':'a','language':{'name':'Java'}}").fields("language"));
        c.add(of("string for boolean", "POST", "/servers", "{" + SRV + ",'storage':[{'name':'root','root':'yes'}]}").fields("storage[0].root"));
        c.add(of("number for boolean", "POST", "/servers", "{" + SRV + ",'storage':[{'name':'root','root':1}]}").fields("storage[0].root"));
        c.add(of("string for object", "POST", "/servers", "{" + SRV + ",'os':'Linux'}").fields("os"));
        c.add(of("array for object", "POST", "/servers", "{" + SRV + ",'datacenter':['$dc']}").fields("datacenter"));
        c.add(of("string for list", "POST", "/servers", "{" + SRV + ",'storage':'sda'}").fields("storage"));
        c.add(of("object for list", "POST", "/clients", "{'name':'c1','contacts':{'channel':'Email','value':'a@b.c'}}").fields("contacts"));
        c.add(of("scalar list item for object list", "POST", "/servers", "{" + SRV + ",'storage':[5]}").fields("storage[0]"));
        c.add(of("null list item", "POST", "/servers", "{" + SRV + ",'storage':[null]}").fields("storage[0]"));
        c.add(of("string for free-form object", "POST", "/applications", "{'name':'a','role':'web'}").fields("role"));
        c.add(of("array for free-form object", "POST", "/loadbalancers", "{'name':'l','spec':['a']}").fields("spec"));
        c.add(of("string for id list", "POST", "/applications", "{'name':'a','server_ids':'$srv'}").fields("server_ids"));
        c.add(of("number in id list", "POST", "/applications", "{'name':'a','server_ids':[5]}").fields("server_ids[0]"));
        c.add(of("object in id list", "POST", "/applications", "{'name':'a','system_ids':[{'id':'$sys'}]}").fields("system_ids[0]"));
        c.add(of("number for id", "POST", "/servers", "{" + SRV + ",'datacenter':{'id':12}}").fields("datacenter.id"));
        c.add(of("number for secret", "POST", "/servers", "{" + SRV + ",'auth':[{'name':'ops','secret':1234}]}").fields("auth[0].secret"));
        c.add(of("number for catalog name", "POST", "/datacenters", "{'name':'d','provider':5}").fields("provider"));
        c.add(of("object for catalog name", "POST", "/loadbalancers", "{'name':'l','service':{'name':'HAProxy'}}").fields("service"));
    }

    // ---- servers

    static void servers(List<BadInputCase> c) {
        c.add(of("missing hostname", "POST", "/servers", "{'name':'web'}").fields("hostname"));
        c.add(of("empty hostname", "POST", "/servers", "{'hostname':''}").fields("hostname"));
        c.add(of("blank hostname", "POST", "/servers", "{'hostname':'   '}").fields("hostname"));
        c.add(of("hostname with underscore", "POST", "/servers", "{'hostname':'web_01'}").fields("hostname"));
        c.add(of("hostname with leading hyphen", "POST", "/servers", "{'hostname':'-web01'}").fields("hostname"));
        c.add(of("hostname label ending in hyphen", "POST", "/servers", "{'hostname':'web01-.example.com'}").fields("hostname"));
        c.add(of("hostname with a 64-character label", "POST", "/servers", "{'hostname':'" + "a".repeat(64) + ".example.com'}").fields("hostname"));
        c.add(of("hostname longer than 253", "POST", "/servers", "{'hostname':'" + ("a".repeat(60) + ".").repeat(4) + "abcdefghijklmnopqrst'}").fields("hostname"));
        c.add(of("hostname with trailing dot", "POST", "/servers", "{'hostname':'web01.example.com.'}").fields("hostname"));
        c.add(of("hostname with empty label", "POST", "/servers", "{'hostname':'web01..example.com'}").fields("hostname"));
        c.add(of("hostname with a space", "POST", "/servers", "{'hostname':'web 01'}").fields("hostname"));
        c.add(of("hostname with unicode", "POST", "/servers", "{'hostname':'wéb01'}").fields("hostname"));
        c.add(of("hostname with a tab", "POST", "/servers", "{'hostname':'web\\t01'}").fields("hostname"));
        c.add(of("IPv4 octet 256", "POST", "/servers", "{" + SRV + ",'ipv4_private':'256.1.1.1'}").fields("ipv4_private"));
        c.add(of("IPv4 with three octets", "POST", "/servers", "{" + SRV + ",'ipv4_private':'1.2.3'}").fields("ipv4_private"));
        c.add(of("IPv4 with leading zero", "POST", "/servers", "{" + SRV + ",'ipv4_private':'01.2.3.4'}").fields("ipv4_private"));
        c.add(of("IPv4 with trailing garbage", "POST", "/servers", "{" + SRV + ",'ipv4_public':' 1.2.3.4x'}").fields("ipv4_public"));
        c.add(of("IPv6 for IPv4", "POST", "/servers", "{" + SRV + ",'ipv4_public':'2001:db8::1'}").fields("ipv4_public"));
        c.add(of("IPv4 with five octets", "POST", "/servers", "{" + SRV + ",'ipv4_private':'1.2.3.4.5'}").fields("ipv4_private"));
        c.add(of("IPv4 with CIDR suffix", "POST", "/servers", "{" + SRV + ",'ipv4_private':'10.0.0.1/24'}").fields("ipv4_private"));
        c.add(of("IPv4 as a number", "POST", "/servers", "{" + SRV + ",'ipv4_private':167772161}").fields("ipv4_private"));
        c.add(of("IPv4 with unicode digits", "POST", "/servers", "{" + SRV + ",'ipv4_private':'١٠.0.0.1'}").fields("ipv4_private"));
        c.add(of("unknown environment", "POST", "/servers", "{" + SRV + ",'environment':'Prod-ish'}").fields("environment"));
        c.add(of("unknown os.base", "POST", "/servers", "{" + SRV + ",'os':{'base':'Plan9'}}").fields("os.base"));
        c.add(of("unknown server role", "POST", "/servers", "{" + SRV + ",'role':'Wizard'}").fields("role"));
        c.add(of("unknown auth.type", "POST", "/servers", "{" + SRV + ",'auth':[{'name':'ops','type':'Kerberos5'}]}").fields("auth[0].type"));
        c.add(of("auth entry without name", "POST", "/servers", "{" + SRV + ",'auth':[{'type':'PKI'}]}").fields("auth[0].name"));
        c.add(of("unknown field in os", "POST", "/servers", "{" + SRV + ",'os':{'base':'Linux','foo':1}}").fields("os.foo"));
        c.add(of("unknown field in a storage entry", "POST", "/servers", "{" + SRV + ",'storage':[{'name':'a'},{'name':'b','bar':1}]}")
                .fields("storage[1].bar"));
        c.add(of("bad storage size", "POST", "/servers", "{" + SRV + ",'storage':[{'name':'a','size_gb':10},{'name':'b','size_gb':'big'}]}")
                .fields("storage[1].size_gb"));
        c.add(of("negative storage size", "POST", "/servers", "{" + SRV + ",'storage':[{'size_gb':-5}]}").fields("storage[0].size_gb"));
        c.add(of("unknown field in datacenter", "POST", "/servers", "{" + SRV + ",'datacenter':{'id':'$dc','foo':'x'}}").fields("datacenter.foo"));
        c.add(of("unknown datacenter.id", "POST", "/servers", "{" + SRV + ",'datacenter':{'id':'$rnd'}}").fields("datacenter.id"));
        c.add(of("malformed datacenter.id", "POST", "/servers", "{" + SRV + ",'datacenter':{'id':'dc-1'}}").fields("datacenter.id"));
        c.add(of("non-canonical uuid for datacenter.id", "POST", "/servers", "{" + SRV + ",'datacenter':{'id':'1-1-1-1-1'}}").fields("datacenter.id"));
        c.add(of("datacenter.id of another kind", "POST", "/servers", "{" + SRV + ",'datacenter':{'id':'$srv'}}").fields("datacenter.id"));
        c.add(of("services entry is a string", "POST", "/servers", "{" + SRV + ",'services':['nginx']}").fields("services[0]"));
        c.add(of("services is an object", "POST", "/servers", "{" + SRV + ",'services':{'name':'nginx'}}").fields("services"));
        c.add(of("unknown services[].service_id", "POST", "/servers", "{" + SRV + ",'services':[{'service_id':'$rnd'}]}")
                .fields("services[0].service_id"));
        c.add(of("malformed services[].service_id", "POST", "/servers", "{" + SRV + ",'services':[{'service_id':'nginx'}]}")
                .fields("services[0].service_id"));
        c.add(of("services entry without id or name", "POST", "/servers", "{" + SRV + ",'services':[{'version':'1.2'}]}")
                .fields("services[0].name"));
        c.add(of("unknown services[].status", "POST", "/servers", "{" + SRV + ",'services':[{'name':'nginx','status':'Running'}]}")
                .fields("services[0].status"));
        c.add(of("unknown field in a services entry", "POST", "/servers", "{" + SRV + ",'services':[{'name':'nginx','port':80}]}")
                .fields("services[0].port"));
        c.add(of("unknown services[].origin", "POST", "/servers", "{" + SRV + ",'services':[{'name':'nginx','origin':'robot'}]}")
                .fields("services[0].origin"));
        c.add(of("tags is a string", "POST", "/servers", "{" + SRV + ",'tags':'env:prod'}").fields("tags"));
        c.add(of("tags is an object", "POST", "/servers", "{" + SRV + ",'tags':{'env':'prod'}}").fields("tags"));
        c.add(of("tag is a string", "POST", "/servers", "{" + SRV + ",'tags':['env:prod']}").fields("tags[0]"));
        c.add(of("tag with wrong keys", "POST", "/servers", "{" + SRV + ",'tags':[{'k':'env','v':'prod'}]}")
                .fields("tags[0].k", "tags[0].v", "tags[0].key"));
        c.add(of("tag key with a colon", "POST", "/servers", "{" + SRV + ",'tags':[{'key':'a:b','value':'c'}]}").fields("tags[0].key"));
        c.add(of("tag key is a number", "POST", "/servers", "{" + SRV + ",'tags':[{'key':5,'value':'c'}]}").fields("tags[0].key"));
        c.add(of("tag key longer than 128", "POST", "/servers", "{" + SRV + ",'tags':[{'key':'" + "k".repeat(129) + "'}]}").fields("tags[0].key"));
        c.add(of("tag value longer than 255", "POST", "/servers", "{" + SRV + ",'tags':[{'key':'k','value':'" + "v".repeat(256) + "'}]}")
                .fields("tags[0].value"));
        c.add(of("instance_id longer than 255", "POST", "/servers", "{" + SRV + ",'datacenter':{'id':'$dc','instance_id':'" + "i".repeat(256) + "'}}")
                .fields("datacenter.instance_id"));
        c.add(of("unknown top-level field", "POST", "/servers", "{" + SRV + ",'colour':'red'}").fields("colour"));
        c.add(of("name longer than 255", "POST", "/servers", "{" + SRV + ",'name':'" + "n".repeat(256) + "'}").fields("name"));
        c.add(of("description longer than 10000", "POST", "/servers", "{" + SRV + ",'description':'" + "d".repeat(10_001) + "'}")
                .fields("description"));
        c.add(of("os.dist longer than 64", "POST", "/servers", "{" + SRV + ",'os':{'dist':'" + "x".repeat(65) + "'}}").fields("os.dist"));
        c.add(of("storage over maxItems", "POST", "/servers", "{" + SRV + ",'storage':" + repeat("{'name':'d'}", 501) + "}").fields("storage"));
        c.add(of("auth over maxItems", "POST", "/servers", "{" + SRV + ",'auth':" + repeat("{'name':'u'}", 51) + "}").fields("auth"));
        c.add(of("tags over maxItems", "POST", "/servers", "{" + SRV + ",'tags':"
                + IntStream.range(0, 101).mapToObj(i -> "{'key':'k" + i + "'}").collect(Collectors.joining(",", "[", "]")) + "}").fields("tags"));
        c.add(of("services over maxItems", "POST", "/servers", "{" + SRV + ",'services':" + repeat("{'name':'nginx'}", 201) + "}").fields("services"));
        c.add(of("bad team_id", "POST", "/servers", "{" + SRV + ",'team_id':'team-1'}").fields("team_id"));
        c.add(of("unknown team_id", "POST", "/servers", "{" + SRV + ",'team_id':'$rnd'}").fields("team_id"));
        c.add(of("bad team_id with other errors, all at once", "POST", "/servers", "{'hostname':'h_1','team_id':'x','cpu':'y'}")
                .fields("hostname", "team_id", "cpu"));
        c.add(of("eight errors at once", "POST", "/servers", "{'hostname':'bad_host','ipv4_private':'999.1.1.1','cpu':'x',"
                + "'os':{'base':'Plan9'},'storage':[{'name':'a'},{'size_gb':-5}],'datacenter':{'id':'$rnd'},'environment':'Prod-ish','colour':1}")
                .fields("hostname", "ipv4_private", "cpu", "os.base", "storage[1].size_gb", "datacenter.id", "environment", "colour"));
        c.add(of("PUT without hostname", "PUT", "/servers/$srv", "{'name':'web'}").fields("hostname"));
        c.add(of("PUT with unknown field", "PUT", "/servers/$srv", "{" + SRV + ",'foo':{'bar':1}}").fields("foo"));
        c.add(of("PUT with many errors", "PUT", "/servers/$srv", "{'hostname':'web01.','ipv4_public':'1.2.3','memory':'lots',"
                + "'auth':[{'name':'ops','type':'Kerberos5'}],'services':[{'service_id':'$rnd'}]}")
                .fields("hostname", "ipv4_public", "memory", "auth[0].type", "services[0].service_id"));
        c.add(of("PATCH hostname to null", "PATCH", "/servers/$srv", "{'hostname':null}").fields("hostname"));
        c.add(of("PATCH hostname to invalid", "PATCH", "/servers/$srv", "{'hostname':'-x-'}").fields("hostname"));
        c.add(of("PATCH cpu to a string", "PATCH", "/servers/$srv", "{'cpu':'four'}").fields("cpu"));
        c.add(of("PATCH unknown os.base", "PATCH", "/servers/$srv", "{'os':{'base':'Plan9'}}").fields("os.base"));
        c.add(of("PATCH unknown datacenter.id", "PATCH", "/servers/$srv", "{'datacenter':{'id':'$rnd'}}").fields("datacenter.id"));
        c.add(of("PATCH unknown field", "PATCH", "/servers/$srv", "{'os':{'kernel':'6.1'}}").fields("os.kernel"));
        c.add(of("PATCH storage with an unknown field", "PATCH", "/servers/$srv", "{'storage':[{'name':'a','bar':1}]}").fields("storage[0].bar"));
        c.add(of("PATCH with a stale If-Match", "PATCH", "/servers/$srv", "{'cpu':8}").header("If-Match", "\"99\"").status(412));
        c.add(of("PUT with a garbage If-Match", "PUT", "/servers/$srv", "{" + SRV + "}").header("If-Match", "not-a-version").status(412));
    }

    // ---- applications

    static void applications(List<BadInputCase> c) {
        c.add(of("missing name", "POST", "/applications", "{'environment':'Production'}").fields("name"));
        c.add(of("unknown environment", "POST", "/applications", "{'name':'a','environment':'Prod-ish'}").fields("environment"));
        c.add(of("unknown language", "POST", "/applications", "{'name':'a','language':'Klingon'}").fields("language"));
        c.add(of("unknown cluster mode", "POST", "/applications", "{'name':'a','cluster':'Maybe'}").fields("cluster"));
        c.add(of("free-form role too large", "POST", "/applications", "{'name':'a','role':{'x':'" + "r".repeat(70_000) + "'}}").fields("role"));
        c.add(of("unknown system_ids", "POST", "/applications", "{'name':'a','system_ids':['$rnd']}").fields("system_ids[0]"));
        c.add(of("malformed system_ids", "POST", "/applications", "{'name':'a','system_ids':['sys-1']}").fields("system_ids[0]"));
        c.add(of("unknown server_ids among known", "POST", "/applications", "{'name':'a','server_ids':['$rnd','$srv','$rnd2']}")
                .fields("server_ids[0]", "server_ids[2]"));
        c.add(of("server_ids naming an application", "POST", "/applications", "{'name':'a','server_ids':['$app']}").fields("server_ids[0]"));
        c.add(of("server_ids over maxItems", "POST", "/applications", "{'name':'a','server_ids':" + repeat("'$srv'", 501) + "}").fields("server_ids"));
        c.add(of("unknown deploy.type", "POST", "/applications", "{'name':'a','deploy':[{'type':'Rsync'}]}").fields("deploy[0].type"));
        c.add(of("unknown field in deploy", "POST", "/applications", "{'name':'a','deploy':[{'type':'Git','branch':'main'}]}").fields("deploy[0].branch"));
        c.add(of("deploy notes too long", "POST", "/applications", "{'name':'a','deploy':[{'notes':'" + "n".repeat(4001) + "'}]}").fields("deploy[0].notes"));
        c.add(of("deploy over maxItems", "POST", "/applications", "{'name':'a','deploy':" + repeat("{'type':'Git'}", 51) + "}").fields("deploy"));
        c.add(of("unknown dependencies[].target_id", "POST", "/applications", "{'name':'a','dependencies':[{'target_id':'$rnd','protocol':'rest'}]}")
                .fields("dependencies[0].target_id"));
        c.add(of("dependency on a server", "POST", "/applications", "{'name':'a','dependencies':[{'target_id':'$db'},{'target_id':'$srv'}]}")
                .fields("dependencies[1].target_id"));
        c.add(of("malformed dependencies[].target_id", "POST", "/applications", "{'name':'a','dependencies':[{'target_id':'db-1'}]}")
                .fields("dependencies[0].target_id"));
        c.add(of("dependency without target_id", "POST", "/applications", "{'name':'a','dependencies':[{'protocol':'rest'}]}")
                .fields("dependencies[0].target_id"));
        c.add(of("unknown dependency protocol", "POST", "/applications", "{'name':'a','dependencies':[{'target_id':'$db','protocol':'carrier-pigeon'}]}")
                .fields("dependencies[0].protocol"));
        c.add(of("dependency as a bare id", "POST", "/applications", "{'name':'a','dependencies':['$db']}").fields("dependencies[0]"));
        c.add(of("unknown field in a dependency", "POST", "/applications", "{'name':'a','dependencies':[{'target_id':'$db','weight':3}]}")
                .fields("dependencies[0].weight"));
        c.add(of("many errors at once", "POST", "/applications", "{'language':'Klingon','role':'web','server_ids':['$rnd'],"
                + "'deploy':[{'type':'Rsync'}],'dependencies':[{'target_id':'$rnd','protocol':'smoke'}],'tags':[{'key':''}]}")
                .fields("name", "language", "role", "server_ids[0]", "deploy[0].type", "dependencies[0].target_id",
                        "dependencies[0].protocol", "tags[0].key"));
        c.add(of("PUT without name", "PUT", "/applications/$app", "{'language':'Java'}").fields("name"));
        c.add(of("PUT with unknown server_ids", "PUT", "/applications/$app", "{'name':'a','server_ids':['$rnd']}").fields("server_ids[0]"));
        c.add(of("PUT with a bad dependency", "PUT", "/applications/$app", "{'name':'a','dependencies':[{'target_id':'$cli'}]}")
                .fields("dependencies[0].target_id"));
        c.add(of("PATCH name to null", "PATCH", "/applications/$app", "{'name':null}").fields("name"));
        c.add(of("PATCH unknown system_ids", "PATCH", "/applications/$app", "{'system_ids':['$rnd']}").fields("system_ids[0]"));
        c.add(of("PATCH unknown language", "PATCH", "/applications/$app", "{'language':'COBOL-ish'}").fields("language"));
        c.add(of("PATCH role to a number", "PATCH", "/applications/$app", "{'role':7}").fields("role"));
    }

    // ---- databases

    static void databases(List<BadInputCase> c) {
        c.add(of("missing engine", "POST", "/databases", "{'name':'d'}").fields("engine"));
        c.add(of("unknown engine", "POST", "/databases", "{'name':'d','engine':'FoxPro'}").fields("engine"));
        c.add(of("unknown engine with an oracle section", "POST", "/databases", "{'name':'d','engine':'FoxPro','oracle':{'version':'19c'}}")
                .fields("engine"));
        c.add(of("oracle section on a non-Oracle engine", "POST", "/databases", "{'name':'d','engine':'PostgreSQL','oracle':{'version':'19c'}}")
                .fields("oracle"));
        c.add(of("mysql section on Oracle", "POST", "/databases", "{'name':'d','engine':'Oracle','mysql':{'topology':'galera'}}").fields("mysql"));
        c.add(of("unknown oracle.version", "POST", "/databases", "{'name':'d','engine':'Oracle','oracle':{'version':'9i'}}").fields("oracle.version"));
        c.add(of("unknown oracle.storage", "POST", "/databases", "{'name':'d','engine':'Oracle','oracle':{'storage':'tape'}}").fields("oracle.storage"));
        c.add(of("unknown oracle.mode", "POST", "/databases", "{'name':'d','engine':'Oracle','oracle':{'mode':'cloud'}}").fields("oracle.mode"));
        c.add(of("unknown field in oracle", "POST", "/databases", "{'name':'d','engine':'Oracle','oracle':{'x':1}}").fields("oracle.x"));
        c.add(of("bad asm group", "POST", "/databases", "{'name':'d','engine':'Oracle','oracle':{'asm_groups':[{'size_gb':'lots'}]}}")
                .fields("oracle.asm_groups[0].name", "oracle.asm_groups[0].size_gb"));
        c.add(of("pdbs is a string", "POST", "/databases", "{'name':'d','engine':'Oracle','oracle':{'cdbs':[{'name':'C','pdbs':'P1'}]}}")
                .fields("oracle.cdbs[0].pdbs"));
        c.add(of("pdb is a number", "POST", "/databases", "{'name':'d','engine':'Oracle','oracle':{'cdbs':[{'name':'C','pdbs':['P1',5]}]}}")
                .fields("oracle.cdbs[0].pdbs[1]"));
        c.add(of("unknown mysql.topology", "POST", "/databases", "{'name':'d','engine':'MySQL','mysql':{'topology':'ring'}}").fields("mysql.topology"));
        c.add(of("negative mysql.replicas", "POST", "/databases", "{'name':'d','engine':'MariaDB','mysql':{'replicas':-1}}").fields("mysql.replicas"));
        c.add(of("float mysql.replicas", "POST", "/databases", "{'name':'d','engine':'MariaDB','mysql':{'replicas':1.5}}").fields("mysql.replicas"));
        c.add(of("unknown category", "POST", "/databases", "{'name':'d','engine':'Redis','category':'spreadsheet'}").fields("category"));
        c.add(of("unknown mode", "POST", "/databases", "{'name':'d','engine':'Redis','mode':'turbo'}").fields("mode"));
        c.add(of("engine_version too long", "POST", "/databases", "{'name':'d','engine':'Redis','engine_version':'" + "7".repeat(65) + "'}")
                .fields("engine_version"));
        c.add(of("spec is a string", "POST", "/databases", "{'name':'d','engine':'Redis','spec':'port 6379'}").fields("spec"));
        c.add(of("unknown server_ids", "POST", "/databases", "{'name':'d','engine':'Redis','server_ids':['$rnd']}").fields("server_ids[0]"));
        c.add(of("datacenter_ids naming a server", "POST", "/databases", "{'name':'d','engine':'Redis','datacenter_ids':['$srv']}")
                .fields("datacenter_ids[0]"));
        c.add(of("malformed system_ids", "POST", "/databases", "{'name':'d','engine':'Redis','system_ids':['{$sys}']}").fields("system_ids[0]"));
        c.add(of("many errors at once", "POST", "/databases", "{'name':'','engine':'MySQL','oracle':{'version':'9i'},'mysql':{'replicas':'two'},"
                + "'server_ids':['x'],'environment':'Prod-ish'}")
                .fields("name", "oracle.version", "oracle", "mysql.replicas", "server_ids[0]", "environment"));
        c.add(of("PUT engine MySQL keeping the oracle section", "PUT", "/databases/$db", "{'name':'orcl','engine':'MySQL','oracle':{'version':'19c'}}")
                .fields("oracle"));
        c.add(of("PUT without engine", "PUT", "/databases/$db", "{'name':'orcl'}").fields("engine"));
        c.add(of("PATCH engine away from Oracle, oracle section left", "PATCH", "/databases/$db", "{'engine':'PostgreSQL'}").fields("oracle"));
        c.add(of("PATCH oracle section onto MySQL", "PATCH", "/databases/$mdb", "{'oracle':{'version':'19c'}}").fields("oracle"));
        c.add(of("PATCH unknown oracle.version", "PATCH", "/databases/$db", "{'oracle':{'version':'9i'}}").fields("oracle.version"));
        c.add(of("PATCH unknown field in mysql", "PATCH", "/databases/$mdb", "{'mysql':{'semi_sync':true}}").fields("mysql.semi_sync"));
        c.add(of("PATCH unknown engine", "PATCH", "/databases/$mdb", "{'engine':'Oracle Exadata Cloud Foo'}").fields("engine"));
    }

    // ---- load balancers

    static void loadbalancers(List<BadInputCase> c) {
        c.add(of("missing name", "POST", "/loadbalancers", "{'service':'HAProxy'}").fields("name"));
        c.add(of("service name too long", "POST", "/loadbalancers", "{'name':'l','service':'" + "s".repeat(256) + "'}").fields("service"));
        c.add(of("unknown target_ids", "POST", "/loadbalancers", "{'name':'l','target_ids':['$rnd']}").fields("target_ids[0]"));
        c.add(of("target_ids naming a database", "POST", "/loadbalancers", "{'name':'l','target_ids':['$srv','$db']}").fields("target_ids[1]"));
        c.add(of("server_ids naming an application", "POST", "/loadbalancers", "{'name':'l','server_ids':['$app']}").fields("server_ids[0]"));
        c.add(of("unknown environment", "POST", "/loadbalancers", "{'name':'l','environment':'Prod-ish'}").fields("environment"));
        c.add(of("unknown system_ids", "POST", "/loadbalancers", "{'name':'l','system_ids':['$rnd']}").fields("system_ids[0]"));
        c.add(of("unknown field", "POST", "/loadbalancers", "{'name':'l','algorithm':'roundrobin'}").fields("algorithm"));
        c.add(of("PUT without name", "PUT", "/loadbalancers/$lb", "{'service':'HAProxy'}").fields("name"));
        c.add(of("PUT with malformed target_ids", "PUT", "/loadbalancers/$lb", "{'name':'l','target_ids':['', null]}")
                .fields("target_ids[0]", "target_ids[1]"));
        c.add(of("PATCH target_ids to a string", "PATCH", "/loadbalancers/$lb", "{'target_ids':'$srv'}").fields("target_ids"));
        c.add(of("PATCH spec to an array", "PATCH", "/loadbalancers/$lb", "{'spec':[]}").fields("spec"));
    }

    // ---- datacenters

    static void datacenters(List<BadInputCase> c) {
        c.add(of("missing name", "POST", "/datacenters", "{'provider':'AWS'}").fields("name"));
        c.add(of("regions is a string", "POST", "/datacenters", "{'name':'d','regions':'eu-west-1'}").fields("regions"));
        c.add(of("region is a number", "POST", "/datacenters", "{'name':'d','regions':['eu',5]}").fields("regions[1]"));
        c.add(of("empty region", "POST", "/datacenters", "{'name':'d','regions':['']}").fields("regions[0]"));
        c.add(of("repeated region", "POST", "/datacenters", "{'name':'d','regions':['eu','us','eu']}").fields("regions[2]"));
        c.add(of("repeated region after a bad one", "POST", "/datacenters", "{'name':'d','regions':[1,'eu','eu']}")
                .fields("regions[0]", "regions[2]"));
        c.add(of("regions over maxItems", "POST", "/datacenters", "{'name':'d','regions':"
                + IntStream.range(0, 501).mapToObj(i -> "'r" + i + "'").collect(Collectors.joining(",", "[", "]")) + "}").fields("regions"));
        c.add(of("zone region not among regions", "POST", "/datacenters", "{'name':'d','regions':['eu'],'zones':[{'name':'z1','region':'us'}]}")
                .fields("zones[0].region"));
        c.add(of("zone region checked after a bad zone", "POST", "/datacenters",
                "{'name':'d','regions':['eu'],'zones':[5,{'name':'z1','region':'us'}]}").fields("zones[0]", "zones[1].region"));
        c.add(of("zone without name", "POST", "/datacenters", "{'name':'d','regions':['eu'],'zones':[{'region':'eu'}]}").fields("zones[0].name"));
        c.add(of("unknown field in a zone", "POST", "/datacenters", "{'name':'d','zones':[{'name':'z','az':'1a'}]}").fields("zones[0].az"));
        c.add(of("repeated zone", "POST", "/datacenters", "{'name':'d','regions':['eu'],'zones':[{'name':'a','region':'eu'},{'name':'a','region':'eu'}]}")
                .fields("zones[1].name"));
        c.add(of("zones over maxItems", "POST", "/datacenters", "{'name':'d','zones':"
                + IntStream.range(0, 2001).mapToObj(i -> "{'name':'z" + i + "'}").collect(Collectors.joining(",", "[", "]")) + "}").fields("zones"));
        c.add(of("provider name too long", "POST", "/datacenters", "{'name':'d','provider':'" + "p".repeat(256) + "'}").fields("provider"));
        c.add(of("provider name with a control character", "POST", "/datacenters", "{'name':'d','provider':'AW\\u0007S'}").fields("provider"));
        c.add(of("PUT dropping the region its zones use", "PUT", "/datacenters/$dc", "{'name':'dc1','regions':[],'zones':[{'name':'z','region':'eu-west-1'}]}")
                .fields("zones[0].region"));
        c.add(of("PUT with unknown field", "PUT", "/datacenters/$dc", "{'name':'dc1','country':'IE'}").fields("country"));
        c.add(of("PATCH zone into an unknown region", "PATCH", "/datacenters/$dc", "{'zones':[{'name':'z','region':'mars-1'}]}").fields("zones[0].region"));
        c.add(of("PATCH regions to an object", "PATCH", "/datacenters/$dc", "{'regions':{'eu':true}}").fields("regions"));
        c.add(of("PATCH name to blank", "PATCH", "/datacenters/$dc", "{'name':' '}").fields("name"));
    }

    // ---- systems

    static void systems(List<BadInputCase> c) {
        c.add(of("missing name", "POST", "/systems", "{'description':'shop'}").fields("name"));
        c.add(of("links is a string", "POST", "/systems", "{'name':'s','links':'https://wiki'}").fields("links"));
        c.add(of("link url not a URL", "POST", "/systems", "{'name':'s','links':[{'name':'wiki','url':'not a url'}]}").fields("links[0].url"));
        c.add(of("javascript: link url", "POST", "/systems", "{'name':'s','links':[{'name':'x','url':'javascript:alert(1)'}]}").fields("links[0].url"));
        c.add(of("data: link url", "POST", "/systems", "{'name':'s','links':[{'name':'x','url':'data:text/html,<b>x</b>'}]}").fields("links[0].url"));
        c.add(of("relative link url", "POST", "/systems", "{'name':'s','links':[{'name':'x','url':'/wiki/shop'}]}").fields("links[0].url"));
        c.add(of("link url without host", "POST", "/systems", "{'name':'s','links':[{'name':'x','url':'http://'}]}").fields("links[0].url"));
        c.add(of("link without url", "POST", "/systems", "{'name':'s','links':[{'name':'wiki'}]}").fields("links[0].url"));
        c.add(of("unknown field in a link", "POST", "/systems", "{'name':'s','links':[{'name':'w','url':'https://w.example.com','title':'W'}]}")
                .fields("links[0].title"));
        c.add(of("links over maxItems", "POST", "/systems", "{'name':'s','links':" + repeat("{'name':'w','url':'https://w.example.com'}", 101) + "}")
                .fields("links"));
        c.add(of("unknown client_ids", "POST", "/systems", "{'name':'s','client_ids':['$rnd']}").fields("client_ids[0]"));
        c.add(of("client_ids naming a server", "POST", "/systems", "{'name':'s','client_ids':['$srv']}").fields("client_ids[0]"));
        c.add(of("unknown owner", "POST", "/systems", "{'name':'s','owner':'$rnd'}").fields("owner"));
        c.add(of("owner is a name", "POST", "/systems", "{'name':'s','owner':'admin'}").fields("owner"));
        c.add(of("owner is a list", "POST", "/systems", "{'name':'s','owner':['$team']}").fields("owner"));
        c.add(of("unknown entry_application_ids", "POST", "/systems", "{'name':'s','entry_application_ids':['$rnd']}").fields("entry_application_ids[0]"));
        c.add(of("entry_application_ids naming a database", "POST", "/systems", "{'name':'s','entry_application_ids':['$db']}")
                .fields("entry_application_ids[0]"));
        c.add(of("PUT with a javascript: link", "PUT", "/systems/$sys", "{'name':'s','links':[{'name':'x','url':'JavaScript:alert(1)'}]}")
                .fields("links[0].url"));
        c.add(of("PUT with unknown owner and clients", "PUT", "/systems/$sys", "{'name':'s','owner':'$rnd','client_ids':['$rnd']}")
                .fields("owner", "client_ids[0]"));
        c.add(of("PATCH unknown owner", "PATCH", "/systems/$sys", "{'owner':'$rnd'}").fields("owner"));
        c.add(of("PATCH links with a bad url", "PATCH", "/systems/$sys", "{'links':[{'name':'a','url':'https://ok.example.com'},{'name':'b','url':'ht tp://x'}]}")
                .fields("links[1].url"));
    }

    // ---- volumes

    static void volumes(List<BadInputCase> c) {
        c.add(of("missing name", "POST", "/volumes", "{'size_gb':10}").fields("name"));
        c.add(of("negative size", "POST", "/volumes", "{'name':'v','size_gb':-1}").fields("size_gb"));
        c.add(of("size is a string", "POST", "/volumes", "{'name':'v','size_gb':'big'}").fields("size_gb"));
        c.add(of("unknown type", "POST", "/volumes", "{'name':'v','type':'Floppy'}").fields("type"));
        c.add(of("unknown server_id", "POST", "/volumes", "{'name':'v','server_id':'$rnd'}").fields("server_id"));
        c.add(of("malformed server_id", "POST", "/volumes", "{'name':'v','server_id':'web01'}").fields("server_id"));
        c.add(of("server_id of another kind", "POST", "/volumes", "{'name':'v','server_id':'$dc'}").fields("server_id"));
        c.add(of("datacenter_id of another kind", "POST", "/volumes", "{'name':'v','datacenter_id':'$srv'}").fields("datacenter_id"));
        c.add(of("PUT without name", "PUT", "/volumes/$vol", "{'size_gb':10}").fields("name"));
        c.add(of("PUT with unknown field", "PUT", "/volumes/$vol", "{'name':'v','iops':3000}").fields("iops"));
        c.add(of("PATCH size to an object", "PATCH", "/volumes/$vol", "{'size_gb':{'gb':10}}").fields("size_gb"));
        c.add(of("PATCH unknown datacenter_id", "PATCH", "/volumes/$vol", "{'datacenter_id':'$rnd'}").fields("datacenter_id"));
    }

    // ---- clients

    static void clients(List<BadInputCase> c) {
        c.add(of("missing name", "POST", "/clients", "{'sla':'99.9%'}").fields("name"));
        c.add(of("sla too long", "POST", "/clients", "{'name':'c','sla':'" + "s".repeat(1001) + "'}").fields("sla"));
        c.add(of("sla is a number", "POST", "/clients", "{'name':'c','sla':99.9}").fields("sla"));
        c.add(of("unknown contact channel", "POST", "/clients", "{'name':'c','contacts':[{'channel':'Pigeon','value':'coo'}]}")
                .fields("contacts[0].channel"));
        c.add(of("contact without value", "POST", "/clients", "{'name':'c','contacts':[{'channel':'Email'}]}").fields("contacts[0].value"));
        c.add(of("contact without channel and value", "POST", "/clients", "{'name':'c','contacts':[{}]}")
                .fields("contacts[0].channel", "contacts[0].value"));
        c.add(of("contacts over maxItems", "POST", "/clients", "{'name':'c','contacts':" + repeat("{'channel':'Email','value':'a@b.c'}", 101) + "}")
                .fields("contacts"));
        c.add(of("PUT without name", "PUT", "/clients/$cli", "{'sla':'gold'}").fields("name"));
        c.add(of("PUT with unknown field in a contact", "PUT", "/clients/$cli", "{'name':'c','contacts':[{'channel':'Email','value':'a@b.c','primary':true}]}")
                .fields("contacts[0].primary"));
        c.add(of("PATCH name to null", "PATCH", "/clients/$cli", "{'name':null}").fields("name"));
        c.add(of("PATCH contacts to an object", "PATCH", "/clients/$cli", "{'contacts':{'Email':'a@b.c'}}").fields("contacts"));
    }

    // ---- catalog: services and providers

    static void catalog(List<BadInputCase> c) {
        c.add(of("missing name", "POST", "/services", "{'category':'web'}").fields("name"));
        c.add(of("name too long", "POST", "/services", "{'name':'" + "s".repeat(256) + "'}").fields("name"));
        c.add(of("category too long", "POST", "/services", "{'name':'x','category':'" + "c".repeat(129) + "'}").fields("category"));
        c.add(of("category is an object", "POST", "/services", "{'name':'x','category':{}}").fields("category"));
        c.add(of("unknown field", "POST", "/services", "{'name':'x','vendor':'acme'}").fields("vendor"));
        c.add(of("name already taken", "POST", "/services", "{'name':'TOMCAT'}").status(409));
        c.add(of("PUT blank name", "PUT", "/services/$svc", "{'name':''}").fields("name"));
        c.add(of("PATCH category to a number", "PATCH", "/services/$svc", "{'category':5}").fields("category"));
        c.add(of("missing name", "POST", "/providers", "{'regions':['r1']}").fields("name"));
        c.add(of("region is a number", "POST", "/providers", "{'name':'p','regions':[5]}").fields("regions[0]"));
        c.add(of("zones is a string", "POST", "/providers", "{'name':'p','zones':'z1'}").fields("zones"));
        c.add(of("zone without name", "POST", "/providers", "{'name':'p','zones':[{'region':'r1'}]}").fields("zones[0].name"));
        c.add(of("unknown field", "POST", "/providers", "{'name':'p','api':'https://x'}").fields("api"));
        c.add(of("PUT regions over maxItems", "PUT", "/providers/$prv", "{'name':'OpenStack','regions':"
                + IntStream.range(0, 1001).mapToObj(i -> "'r" + i + "'").collect(Collectors.joining(",", "[", "]")) + "}").fields("regions"));
        c.add(of("PATCH unknown field in a zone", "PATCH", "/providers/$prv", "{'zones':[{'name':'z1','foo':1}]}").fields("zones[0].foo"));
    }

    // ---- content types and Accept

    static void media(List<BadInputCase> c) {
        c.add(of("text/plain body", "POST", "/servers", "{" + SRV + "}").type("text/plain").status(415));
        c.add(of("application/xml body", "POST", "/applications", "{'name':'a'}").type("application/xml").status(415));
        c.add(raw("XML body", "PUT", "/clients/$cli", "<client><name>c</name></client>").type("application/xml").status(415));
        c.add(of("form-encoded body", "POST", "/clients", "name=c1").type("application/x-www-form-urlencoded").status(415));
        c.add(of("form-encoded PATCH", "PATCH", "/clients/$cli", "name=c1").type("application/x-www-form-urlencoded").status(415));
        c.add(of("multipart body", "POST", "/servers", "--b\r\nContent-Disposition: form-data; name=\"hostname\"\r\n\r\nh1\r\n--b--\r\n")
                .type("multipart/form-data; boundary=b").status(415));
        c.add(of("text/plain PATCH", "PATCH", "/servers/$srv", "{'cpu':2}").type("text/plain").status(415));
        c.add(of("JSON Patch media type on PATCH", "PATCH", "/servers/$srv", "[{'op':'replace','path':'/cpu','value':2}]")
                .type("application/json-patch+json").status(415));
        c.add(of("unparseable Content-Type", "POST", "/servers", "{" + SRV + "}").type("%%%").status(415));
        c.add(of("Content-Type without subtype", "PUT", "/servers/$srv", "{" + SRV + "}").type("application").status(415));
        c.add(of("Content-Type with an unknown charset", "POST", "/servers", "{" + SRV + "}").type("application/json; charset=klingon").status(415));
        c.add(of("Latin-1 charset", "POST", "/servers", "{" + SRV + "}").type("application/json; charset=ISO-8859-1").status(415));
        c.add(of("Accept text/html on a write", "POST", "/servers", "{" + SRV + "}").header("Accept", "text/html").status(406));
        c.add(of("Accept application/xml on a read", "GET", "/servers", null).header("Accept", "application/xml").status(406));
        c.add(of("Accept text/html on a read by id", "GET", "/servers/$srv", null).header("Accept", "text/html").status(406));
        c.add(of("unparseable Accept", "GET", "/servers", null).header("Accept", "???").status(406));
    }

    // ---- list query parameters

    static void queries(List<BadInputCase> c) {
        c.add(of("unknown filter", "GET", "/servers?colour=red", null).fields("colour"));
        c.add(of("unknown filter", "GET", "/services?vendor=acme", null).fields("vendor"));
        c.add(of("filter on a JSON column", "GET", "/servers?storage=x", null).fields("storage"));
        c.add(of("bad sort", "GET", "/servers?sort=colour", null).fields("sort"));
        c.add(of("sort on a JSON column", "GET", "/providers?sort=regions", null).fields("sort"));
        c.add(of("sort by a lone minus", "GET", "/applications?sort=-", null).fields("sort"));
        c.add(of("size 0", "GET", "/servers?size=0", null).fields("size"));
        c.add(of("size 1001", "GET", "/servers?size=1001", null).fields("size"));
        c.add(of("size -1", "GET", "/databases?size=-1", null).fields("size"));
        c.add(of("size abc", "GET", "/servers?size=abc", null).fields("size"));
        c.add(of("size beyond int", "GET", "/servers?size=99999999999", null).fields("size"));
        c.add(of("total neither true nor false", "GET", "/servers?total=maybe", null).fields("total"));
        c.add(of("total as a number", "GET", "/applications?total=0", null).fields("total"));
        c.add(of("page -1", "GET", "/servers?page=-1", null).fields("page"));
        c.add(of("page abc", "GET", "/clients?page=abc", null).fields("page"));
        c.add(of("bad uuid in datacenter.id", "GET", "/servers?datacenter.id=dc-1", null).fields("datacenter.id"));
        c.add(of("non-canonical uuid in datacenter.id", "GET", "/servers?datacenter.id=1-1-1-1-1", null).fields("datacenter.id"));
        c.add(of("bad uuid in team_id", "GET", "/servers?team_id=x", null).fields("team_id"));
        c.add(of("bad uuid in a relation filter", "GET", "/applications?server_ids=srv-1", null).fields("server_ids"));
        c.add(of("bad uuid in service_id", "GET", "/servers?service_id=nginx", null).fields("service_id"));
        c.add(of("bad uuid in owner", "GET", "/systems?owner=admin", null).fields("owner"));
        c.add(of("unknown environment", "GET", "/servers?environment=Prod-ish", null).fields("environment"));
        c.add(of("unknown engine", "GET", "/databases?engine=FoxPro", null).fields("engine"));
        c.add(of("q longer than 200", "GET", "/servers?q=" + "q".repeat(201), null).fields("q"));
        c.add(of("integer filter not a number", "GET", "/servers?cpu=four", null).fields("cpu"));
        c.add(of("integer filter with a fraction", "GET", "/servers?cpu=1.5", null).fields("cpu"));
        c.add(of("number filter NaN", "GET", "/servers?memory=NaN", null).fields("memory"));
        c.add(of("number filter Infinity", "GET", "/servers?memory=Infinity", null).fields("memory"));
        c.add(of("empty tag", "GET", "/servers?tag=", null).fields("tag"));
        c.add(of("NUL in a filter value", "GET", "/servers?name=a%00b", null).fields("name"));
        c.add(of("NUL in q", "GET", "/applications?q=%00", null).fields("q"));
        c.add(of("NUL in a tag", "GET", "/servers?tag=k:%00", null).fields("tag"));
        c.add(of("broken percent-encoding", "GET", "/servers?q=%zz", null).socket().atLeast());
        c.add(of("invalid UTF-8 in percent-encoding", "GET", "/servers?q=%C3%28", null).atLeast());
        c.add(of("broken percent-encoding in the path", "GET", "/servers/%zz", null).socket().status(400));
        c.add(of("four errors at once", "GET", "/servers?size=0&page=-1&sort=colour&colour=red", null).fields("size", "page", "sort", "colour"));
    }

    // ---- path ids

    static void pathIds(List<BadInputCase> c) {
        c.add(of("non-uuid id", "GET", "/servers/not-a-uuid", null).status(404));
        c.add(of("non-uuid id", "PUT", "/applications/123", "{'name':'a'}").status(404));
        c.add(of("non-uuid id", "PATCH", "/databases/xyz", "{'name':'d'}").status(404));
        c.add(of("non-uuid id", "DELETE", "/loadbalancers/abc", null).status(404));
        c.add(of("uuid with a bad digit", "GET", "/clients/00000000-0000-0000-0000-00000000000g", null).status(404));
        c.add(of("unknown id", "GET", "/datacenters/$rnd", null).status(404));
        c.add(of("unknown id", "PUT", "/systems/$rnd", "{'name':'s'}").status(404));
        c.add(of("unknown id", "PATCH", "/providers/$rnd", "{'name':'p'}").status(404));
        c.add(of("unknown id of another kind", "GET", "/servers/$app", null).status(404));
        c.add(of("id with an encoded space", "GET", "/servers/%20", null).status(404));
        c.add(of("POST to a record", "POST", "/servers/$srv", "{" + SRV + "}").status(405));
        c.add(of("PUT to a collection", "PUT", "/servers", "{" + SRV + "}").status(405));
        c.add(of("DELETE a collection", "DELETE", "/applications", null).status(405));
        c.add(of("unknown collection", "GET", "/widgets", null).status(404));
        c.add(of("semicolon in the path", "GET", "/servers/$srv;x=1", null).status(400));
        c.add(of("encoded slash in the id", "GET", "/servers/a%2Fb", null).status(400));
        c.add(of("encoded NUL in the id", "PUT", "/servers/%00", "{" + SRV + "}").status(400));
        c.add(of("garbage Authorization header", "POST", "/servers", "{" + SRV + "}").header("Authorization", "Basic !!!").status(401));
    }

    // ---- body size

    static void sizes(List<BadInputCase> c) {
        c.add(of("2 MiB body", "POST", "/servers", "{" + SRV + ",'description':'" + "d".repeat(2 << 20) + "'}").status(413));
        c.add(of("body just over 1 MiB", "PUT", "/servers/$srv", "{" + SRV + ",'description':'" + "d".repeat(1 << 20) + "'}").status(413));
        c.add(of("2 MiB body without Content-Length", "POST", "/applications",
                new BadInputCase.Chunked(BadInputCase.j("{'name':'a','description':'" + "d".repeat(2 << 20) + "'}").getBytes(StandardCharsets.UTF_8)))
                .status(413));
        c.add(of("2 MiB PATCH without Content-Length", "PATCH", "/clients/$cli",
                new BadInputCase.Chunked(BadInputCase.j("{'description':'" + "d".repeat(2 << 20) + "'}").getBytes(StandardCharsets.UTF_8)))
                .status(413));
        c.add(of("1 MB string inside the limit", "POST", "/clients", "{'name':'c','description':'" + "d".repeat(1_000_000) + "'}").fields("description"));
    }

    // ---- must succeed: read-only fields sent back are ignored (GET-edit-PUT)

    static void accepted(List<BadInputCase> c) {
        for (String target : List.of("/servers/$srv", "/applications/$app", "/databases/$db", "/databases/$mdb", "/loadbalancers/$lb",
                "/datacenters/$dc", "/systems/$sys", "/clients/$cli", "/volumes/$vol", "/services/$svc", "/providers/$prv")) {
            c.add(of("GET-edit-PUT", "PUT", target, GET_BODY).status(200));
        }
        c.add(of("GET-edit-PATCH", "PATCH", "/servers/$srv", GET_BODY).status(200));
        c.add(of("GET-edit-PATCH", "PATCH", "/systems/$sys", GET_BODY).status(200));
        c.add(of("read-only fields on create", "POST", "/servers", "{" + SRV + ",'id':'$srv','version':7,'created_at':'2001-01-01T00:00:00Z',"
                + "'updated_at':'2001-01-01T00:00:00Z','warnings':[{'code':'duplicate_hostname'}],"
                + "'auth':[{'name':'ops','has_secret':true}],'applications':[],'databases':[],'loadbalancers':[]}").status(201));
        c.add(of("server_count sent back", "PATCH", "/datacenters/$dc", "{'server_count':99,'version':1}").status(200));
        c.add(of("member lists sent back", "PUT", "/systems/$sys", "{'name':'Shop','applications':[{'id':'$app','name':'shop-api'}],"
                + "'databases':[{'id':'$db'}],'loadbalancers':[]}").status(200));
        c.add(of("free-form role takes any keys", "POST", "/applications", "{'name':'a','role':{'endpoint':'/x','commands':['run'],"
                + "'anything':{'deep':[1,2,{'x':null}]}}}").status(201));
        c.add(of("free-form spec takes any keys", "POST", "/databases", "{'name':'d','engine':'Redis','spec':{'port':6379,'tls':true}}").status(201));
        c.add(of("integral float for integer", "POST", "/servers", "{" + SRV + ",'cpu':4.0}").status(201));
        c.add(of("option alias", "POST", "/servers", "{" + SRV + ",'environment':'stage','os':{'base':'linux'}}").status(201));
        c.add(of("cloud volume type as an alias", "POST", "/volumes", "{'name':'v','type':'gp3'}").status(201));
        c.add(of("string version is the engine version", "POST", "/databases", "{'name':'d','engine':'MySQL','version':'8.0'}").status(201));
        c.add(of("charset parameter", "POST", "/clients", "{'name':'c'}").type("application/json; charset=UTF-8").status(201));
        c.add(of("no Content-Type", "POST", "/clients", "{'name':'c'}").type(null).status(201));
        c.add(of("PATCH as application/json", "PATCH", "/clients/$cli", "{'sla':'gold'}").type("application/json").status(200));
        c.add(of("PATCH removing an optional field", "PATCH", "/servers/$srv", "{'cpu':null,'os':{'dist':null}}").status(200));
        c.add(of("duplicate hostname is a warning", "POST", "/servers", "{'hostname':'WEB01'}").status(201));
        c.add(of("unicode text", "POST", "/clients", "{'name':'Café ☕ 🚀','description':'line1\\nline2\\ttab'}").status(201));
    }

    // ---- helpers

    private static String repeat(String item, int n) {
        return IntStream.range(0, n).mapToObj(i -> item).collect(Collectors.joining(",", "[", "]"));
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] b = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + middle.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(middle, 0, out, a.length, middle.length);
        System.arraycopy(b, 0, out, a.length + middle.length, b.length);
        return out;
    }
}
