using PushGov.Domain.Cases;
using PushGov.Domain.Residents;

namespace PushGov.Domain.Tests.Cases;

/// <summary>A message whose channel stopped before it was sent gives way to one on the resident's next channel.</summary>
public sealed class ReroutingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static readonly Delivery Line = BirthCase.Initial(Channel.Line, "U0123456789abcdef0123456789abcdef");

    private static Delivery To(Channel channel, string address) =>
        Line with { MessageId = MessageIds.Rerouted(Line.MessageId, channel), Channel = channel, Address = address };

    private static CaseData Notified(bool needsClaim = true)
    {
        var c = CaseWorkflow.Start(BirthCase.New(Now), Now).State;
        c = CaseWorkflow.Apply(c, new MatchCompleted([BirthCase.ChildAllowance(BirthCase.Deadline, needsClaim)]), Now).State;
        return CaseWorkflow.Apply(c, new RecipientsResolved([Line]), Now).State;
    }

    [Fact]
    public void A_pending_line_message_is_cancelled_and_its_replacement_sent_one_message_per_resident_and_purpose()
    {
        var c = Notified();
        var sms = To(Channel.Sms, "+819012345678");

        var d = CaseWorkflow.Apply(c, new DeliveryRerouted(Line.MessageId, sms, "line → sms: LINE not available"), Now);

        Assert.True(d.Accepted);
        Assert.Equal(CaseState.Notified, d.State.State);
        Assert.Equal([new CancelMessage(Line.MessageId, $"superseded by {sms.MessageId}: line → sms: LINE not available"), new SendMessage(sms)], d.Commands.Where(x => x is not AppendHistory));
        Assert.Equal(DeliveryState.Cancelled, d.State.Deliveries.Single(x => x.MessageId == Line.MessageId).State);
        Assert.Single(d.State.Deliveries, x => x.ResidentId == "mother" && x.Purpose == Purposes.Initial && x.State == DeliveryState.Pending);
        var history = d.Commands.OfType<AppendHistory>().Single().Entries.Single();
        Assert.Equal(("delivery-rerouted", "line → sms: LINE not available"), (history.Cause, history.Detail));
    }

    [Fact]
    public void A_repeated_reroute_or_one_for_a_message_already_sent_changes_nothing()
    {
        var sms = To(Channel.Sms, "+819012345678");
        var once = CaseWorkflow.Apply(Notified(), new DeliveryRerouted(Line.MessageId, sms, "stopped"), Now).State;

        var again = CaseWorkflow.Apply(once, new DeliveryRerouted(Line.MessageId, sms, "stopped"), Now);
        var delivered = CaseWorkflow.Apply(Notified(), new DeliveryReported(Line.MessageId, DeliveryState.Delivered), Now).State;
        var late = CaseWorkflow.Apply(delivered, new DeliveryRerouted(Line.MessageId, sms, "stopped"), Now);

        Assert.Same(once, again.State);
        Assert.Empty(again.Commands);
        Assert.Same(delivered, late.State);
        Assert.Empty(late.Commands);
    }

    [Fact]
    public void A_replacement_for_another_resident_purpose_or_the_same_channel_is_refused()
    {
        var c = Notified();

        Assert.False(CaseWorkflow.Apply(c, new DeliveryRerouted(Line.MessageId, To(Channel.Sms, "+819012345678") with { ResidentId = "father" }, "x"), Now).Accepted);
        Assert.False(CaseWorkflow.Apply(c, new DeliveryRerouted(Line.MessageId, To(Channel.Sms, "+819012345678") with { Purpose = Purposes.Reminder }, "x"), Now).Accepted);
        Assert.False(CaseWorkflow.Apply(c, new DeliveryRerouted(Line.MessageId, To(Channel.Line, "U1"), "x"), Now).Accepted);
    }

    [Fact]
    public void Landing_on_post_for_a_claim_goes_to_staff_with_the_letter_still_sent()
    {
        var post = To(Channel.Post, "8100001\n福岡市中央区天神1-1-1");

        var claim = CaseWorkflow.Apply(Notified(), new DeliveryRerouted(Line.MessageId, post, "line → post: stopped"), Now);
        var informative = CaseWorkflow.Apply(Notified(needsClaim: false), new DeliveryRerouted(Line.MessageId, post, "line → post: stopped"), Now);

        Assert.Equal((CaseState.Escalated, EscalationReasons.NoDigitalChannel), (claim.State.State, claim.State.EscalationReason));
        Assert.Contains(new SendMessage(post), claim.Commands);
        Assert.Equal("line → post: stopped (no-digital-channel)", claim.Commands.OfType<AppendHistory>().Single().Entries.Single().Detail);
        Assert.Equal(CaseState.Notified, informative.State.State);
    }

    [Fact]
    public void A_replacement_that_fails_sends_the_case_to_staff()
    {
        var sms = To(Channel.Sms, "+819012345678");
        var c = CaseWorkflow.Apply(Notified(), new DeliveryRerouted(Line.MessageId, sms, "stopped"), Now).State;

        var d = CaseWorkflow.Apply(c, new DeliveryReported(sms.MessageId, DeliveryState.Failed), Now);

        Assert.Equal((CaseState.Escalated, EscalationReasons.DeliveryFailed), (d.State.State, d.State.EscalationReason));
    }

    [Fact]
    public void The_replacements_id_is_derived_from_the_original_and_differs_by_channel()
    {
        Assert.Equal(MessageIds.Rerouted(Line.MessageId, Channel.Sms), MessageIds.Rerouted(Line.MessageId, Channel.Sms));
        Assert.NotEqual(MessageIds.Rerouted(Line.MessageId, Channel.Sms), MessageIds.Rerouted(Line.MessageId, Channel.Email));
        Assert.NotEqual(Line.MessageId, MessageIds.Rerouted(Line.MessageId, Channel.Sms));
        Assert.Matches("^m-[0-9a-f]{24}$", MessageIds.Rerouted(Line.MessageId, Channel.Sms));
    }
}
