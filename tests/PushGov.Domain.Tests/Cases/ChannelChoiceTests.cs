using PushGov.Domain.Cases;
using PushGov.Domain.Residents;
using PushGov.Domain.Tenants;

namespace PushGov.Domain.Tests.Cases;

public sealed class ChannelChoiceTests
{
    private static readonly DateTimeOffset Then = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly CaseData Case = BirthCase.New(Then, [BirthCase.ChildAllowance(deadline: null)]);

    private static readonly HouseholdSnapshot Household = new()
    {
        HouseholdId = "h1",
        Members = [new Person { ResidentId = "mother", HouseholdId = "h1", FamilyName = "山田", GivenName = "花子", BirthDate = RegistryDate.Of(new DateOnly(1992, 8, 1)), Relationship = "妻", Address = "福岡市中央区天神1-1-1", PostalCode = "8100001" }],
    };

    private static ContactRecord Sms(bool consent = true, DateTimeOffset? at = null) => new("mother", Channel.Sms, "+819012345678", "ja", consent, at ?? Then, "drop");

    private static ContactRecord Line(bool consent = true, DateTimeOffset? at = null, string source = "line-link") => new("mother", Channel.Line, "U0123456789abcdef0123456789abcdef", "ja", consent, at ?? Then, source);

    private static ContactRecord Email(bool consent = true) => new("mother", Channel.Email, "hanako@example.jp", "ja", consent, Then, "portal");

    private static Delivery Only(IReadOnlyList<ContactRecord> contacts, IReadOnlyList<Channel>? order = null, IReadOnlySet<Channel>? unavailable = null, Channel? preferred = null) =>
        Assert.Single(RecipientResolver.Resolve(
            Case,
            preferred is { } p ? Household with { PreferredChannels = new Dictionary<string, Channel> { ["mother"] = p } } : Household,
            contacts,
            order: order ?? TenantConfig.DefaultChannelOrder,
            unavailable: unavailable));

    [Fact]
    public void A_residents_preferred_channel_comes_before_the_tenants_order()
    {
        Assert.Equal(Channel.Sms, Only([Sms(), Line(), Email()], preferred: Channel.Sms).Channel);
        Assert.Equal(Channel.Email, Only([Sms(), Line(), Email()], preferred: Channel.Email).Channel);
        Assert.Equal(Channel.Line, Only([Sms(), Line(), Email()], preferred: Channel.Line).Channel);
    }

    [Fact]
    public void A_preferred_channel_without_consent_or_unavailable_falls_back_to_the_tenants_order()
    {
        Assert.Equal(Channel.Line, Only([Sms(consent: false), Line(), Email()], preferred: Channel.Sms).Channel);
        Assert.Equal(Channel.Sms, Only([Sms(), Line(), Line(consent: false, at: Then.AddDays(1), source: "line-unfollow")], preferred: Channel.Line).Channel);
        Assert.Equal(Channel.Sms, Only([Sms(), Line()], unavailable: new HashSet<Channel> { Channel.Line }, preferred: Channel.Line).Channel);
    }

    [Fact]
    public void A_preferred_channel_the_tenant_does_not_send_on_is_not_used()
    {
        Assert.Equal(Channel.Sms, Only([Sms(), Email()], order: [Channel.Sms, Channel.Line], preferred: Channel.Email).Channel);
        Assert.Equal([Channel.Sms, Channel.Line], RecipientResolver.ChannelOrderFor([Channel.Sms, Channel.Line], Channel.Email));
        Assert.Equal([Channel.Email, Channel.Line, Channel.Sms], RecipientResolver.ChannelOrderFor(TenantConfig.DefaultChannelOrder, Channel.Email));
    }

    [Fact]
    public void The_next_channel_skips_the_stopped_one_and_ends_with_post_or_nothing()
    {
        var mother = Household.Members[0];
        var order = TenantConfig.DefaultChannelOrder;

        Assert.Equal((Channel.Sms, "+819012345678"), RecipientResolver.ChooseChannel(mother, [Line(), Sms()], order, ch => ch == Channel.Line));
        Assert.Equal((Channel.Post, "8100001\n福岡市中央区天神1-1-1"), RecipientResolver.ChooseChannel(mother, [Line()], order, ch => ch == Channel.Line));
        Assert.Null(RecipientResolver.ChooseChannel(mother with { Address = null }, [Line()], order, ch => ch == Channel.Line));
    }

    [Fact]
    public void A_resident_with_line_linked_and_consented_gets_line_before_sms()
    {
        var d = Only([Sms(), Line()]);

        Assert.Equal(Channel.Line, d.Channel);
        Assert.Equal("U0123456789abcdef0123456789abcdef", d.Address);
        Assert.Equal(MessageIds.For(Case.MessageKey, Purposes.Initial, "mother", Channel.Line), d.MessageId);
    }

    [Fact]
    public void A_tenant_order_with_sms_first_sends_sms_even_when_line_is_linked()
    {
        Assert.Equal(Channel.Sms, Only([Sms(), Line()], order: [Channel.Sms, Channel.Line, Channel.Email]).Channel);
    }

    [Fact]
    public void Line_consent_withdrawn_later_than_the_link_falls_to_sms()
    {
        Assert.Equal(Channel.Sms, Only([Sms(), Line(), Line(consent: false, at: Then.AddDays(3), source: "line-unfollow")]).Channel);
    }

    [Fact]
    public void Line_unavailable_for_the_tenant_falls_to_the_next_channel_and_then_to_post()
    {
        Assert.Equal(Channel.Sms, Only([Sms(), Line()], unavailable: new HashSet<Channel> { Channel.Line }).Channel);
        Assert.Equal(Channel.Post, Only([Line()], unavailable: new HashSet<Channel> { Channel.Line }).Channel);
    }

    [Fact]
    public void A_channel_left_out_of_the_order_is_never_used()
    {
        Assert.Equal(Channel.Post, Only([Line()], order: [Channel.Sms, Channel.Email]).Channel);
    }

    [Theory]
    [InlineData(new[] { Channel.Line, Channel.Sms, Channel.Line })]
    [InlineData(new[] { Channel.Sms, Channel.Post })]
    [InlineData(new Channel[0])]
    public void A_channel_order_with_repeats_post_or_nothing_is_refused(Channel[] order)
    {
        var config = new TenantConfig { Code = "401307", Name = "福岡市", ChannelOrder = order };

        Assert.Contains(config.Validate(), e => e.StartsWith("channelOrder:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void A_line_quota_stop_percent_outside_1_to_100_is_refused(int percent)
    {
        var config = new TenantConfig { Code = "401307", Name = "福岡市", LineQuotaStopPercent = percent };

        Assert.Equal(["lineQuotaStopPercent: 1 to 100."], config.Validate());
    }

    [Fact]
    public void The_default_tenant_settings_are_valid_and_put_line_first()
    {
        var config = new TenantConfig { Code = "401307", Name = "福岡市" };

        Assert.Empty(config.Validate());
        Assert.Equal([Channel.Line, Channel.Sms, Channel.Email], config.ChannelOrder);
    }
}
