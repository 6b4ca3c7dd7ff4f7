using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>The facts about a man already on testosterone that the monitoring-alert rows (MA) and REC-22 read (<see cref="OnTherapyFacts"/>).</summary>
internal sealed partial class AssessmentFacts
{
    public AndrogenExposure AndrogenExposure { get; set; }

    /// <summary>An active (or paused) testosterone prescription that is not the order being signed.</summary>
    public bool OnTestosterone => AndrogenExposure == AndrogenExposure.OnTestosterone;

    /// <summary>Testosterone drafted while he is already on it: a renewal or a dose change.</summary>
    public bool TestosteroneRenewal => OnTestosterone && AndrogenDrafted;

    public TestosteroneFormulation Formulation { get; set; }

    /// <summary>When the current (or stopped) testosterone started, where recorded.</summary>
    public DateTimeOffset? TestosteroneStart { get; set; }

    /// <summary>When a stopped testosterone course ended, where recorded.</summary>
    public DateTimeOffset? TestosteroneStopped { get; set; }

    /// <summary>On testosterone for at least the first-check interval (or for an unrecorded time).</summary>
    public bool PastFirstCheck { get; set; }

    /// <summary>Results taken on treatment: since the start, and within the recheck interval.</summary>
    public LabPick? HematocritOnTreatment { get; set; }

    /// <summary>The newest total testosterone taken after the first-check interval (steady state), read against the target.</summary>
    public LabPick? TotalOnTreatment { get; set; }

    /// <summary>Any total testosterone on treatment, steady state or not (MA-9 asks only whether one was done).</summary>
    public bool AnyTotalOnTreatment { get; set; }

    public LabPick? PsaOnTreatment { get; set; }

    /// <summary>Every usable PSA (value compared as "=") in the window before the newest, oldest first.</summary>
    public List<LabPick> PsaHistory { get; } = [];

    /// <summary>Newest on-treatment hematocrit above the withhold limit (MA-1; REC-22 reads it).</summary>
    public bool HematocritAboveWithhold { get; set; }

    /// <summary>The newest documented answer older than the window, when no intent is current.</summary>
    public LastDocumentedIntent? LastDocumentedIntent { get; set; }
}
