using System.Text;

namespace CdsService.Cards;

/// <summary>
/// The builder a card's Markdown detail is written into, one per thread and reused from card to card (a new
/// builder per card grew through several chunks for a 4,000-character detail, and those chunks were about a fifth of
/// what composing the cards allocated; docs/performance.md, round 2 item 10). A card's detail is built and turned into its string before the next card
/// starts, and composing is synchronous, so one builder per thread is never shared.
/// </summary>
internal static class DetailBuilder
{
    // Room for the longest detail of the golden scenarios (about 5,000 characters) without growing.
    private const int InitialCapacity = 8 * 1024;

    // A builder grown beyond this by an unusual patient is dropped rather than kept (it would sit on the large-object heap).
    private const int MaxRetainedCapacity = 32 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_builder;

    public static StringBuilder Rent()
    {
        var builder = t_builder;
        if (builder is null || builder.Capacity > MaxRetainedCapacity)
        {
            t_builder = builder = new StringBuilder(InitialCapacity);
        }

        return builder.Clear();
    }
}
