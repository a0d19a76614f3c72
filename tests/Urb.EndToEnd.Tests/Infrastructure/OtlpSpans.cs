using Google.Protobuf;

namespace Urb.EndToEnd.Tests.Infrastructure;

/// <summary>A span as exported over OTLP: the service it came from, its IDs (hex), name and string attributes.</summary>
public sealed record OtlpSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Reads the spans out of OTLP ExportTraceServiceRequest bodies (opentelemetry/proto/collector/trace/v1)
/// straight from the protobuf wire format, keeping only what the tests look at.
/// </summary>
public static class OtlpSpans
{
    public static IEnumerable<OtlpSpan> Decode(byte[] exportTraceServiceRequest)
    {
        var spans = new List<OtlpSpan>();
        // ExportTraceServiceRequest: 1 resource_spans
        foreach (var resourceSpans in Messages(exportTraceServiceRequest, 1))
        {
            // ResourceSpans: 1 resource (Resource: 1 attributes), 2 scope_spans (ScopeSpans: 2 spans)
            var resource = Messages(resourceSpans, 1).SelectMany(r => Attributes(r, 1)).ToDictionary();
            var service = resource.GetValueOrDefault("service.name", "");
            foreach (var span in Messages(resourceSpans, 2).SelectMany(scope => Messages(scope, 2)))
            {
                spans.Add(DecodeSpan(service, span));
            }
        }
        return spans;
    }

    /// <summary>Span: 1 trace_id, 2 span_id, 4 parent_span_id, 5 name, 9 attributes.</summary>
    private static OtlpSpan DecodeSpan(string service, byte[] span)
    {
        string traceId = "", spanId = "", parentSpanId = "", name = "";
        var input = new CodedInputStream(span);
        while (input.ReadTag() is var tag and not 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 4: parentSpanId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 5: name = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return new OtlpSpan(service, traceId, spanId, parentSpanId, name, Attributes(span, 9).ToDictionary());
    }

    /// <summary>The KeyValue fields numbered <paramref name="field"/> (1 key, 2 AnyValue), those with a string value (AnyValue 1).</summary>
    private static IEnumerable<KeyValuePair<string, string>> Attributes(byte[] message, int field)
    {
        foreach (var keyValue in Messages(message, field))
        {
            string? key = null, value = null;
            var input = new CodedInputStream(keyValue);
            while (input.ReadTag() is var tag and not 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1: key = input.ReadString(); break;
                    case 2: value = Messages(input.ReadBytes().ToByteArray(), 1).Select(b => ByteString.CopyFrom(b).ToStringUtf8()).FirstOrDefault(); break;
                    default: input.SkipLastField(); break;
                }
            }
            if (key is not null && value is not null) yield return new(key, value);
        }
    }

    /// <summary>The bodies of the length-delimited fields numbered <paramref name="field"/>.</summary>
    private static List<byte[]> Messages(byte[] message, int field)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        while (input.ReadTag() is var tag and not 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }
        return found;
    }
}
