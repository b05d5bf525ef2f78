// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fraud/featureset.h"

#include <QtGlobal>

#include <vector>

namespace portcullis::fraud {

// One node of a tree in the form TreeModel keeps it. Child indexes count
// from the tree's first node, and a leaf has left == -1.
struct TreeEvalNode
{
    float value = 0;           // split threshold, or the leaf value
    int feature = 0;           // FeatureSet index of a split
    bool defaultLeft = false;  // the side a missing (NaN) value takes
    int left = -1;
    int right = -1;
    float mean = 0;            // hessian-weighted mean of the subtree's leaves
};

// Boosted trees laid out for fast scoring. When no tree has more than
// MaxPaddedDepth splits on a path, every tree is padded to a complete binary
// tree of the deepest tree's depth. Node i then has children 2i+1 and 2i+2,
// so eight trees are walked side by side without a branch per node. Deeper
// models are walked node by node. Both ways add the same floats in the same
// order as a walk of one tree after another, so the results are bit-equal.
class TreeEval
{
public:
    static constexpr int MaxPaddedDepth = 6;
    // Size of the byFeature array of evaluate(): the features and a scratch
    // slot for the zero contributions of padding splits.
    static constexpr int ContributionSlots = FeatureCount + 1;

    // Appends a tree whose root is nodes[0]. The nodes must form a tree
    // (TreeModel checks the shape before it calls this).
    void appendTree(const std::vector<TreeEvalNode> &nodes);
    int treeCount() const { return int(m_trees.size()); }
    // Features that some split tests, ascending. Every other feature's
    // contribution is 0.
    const std::vector<quint16> &splitFeatures() const { return m_splitFeatures; }

    // Returns `base` plus the leaf value of every tree, added in tree order.
    // When `byFeature` is not null, it must have ContributionSlots floats,
    // and each feature's contribution (Saabas' method: the change of the
    // subtree mean at every split on the decision path) is added to
    // byFeature[0..FeatureCount) in tree order, root first.
    float evaluate(const FeatureVector &features, float base, float *byFeature) const;
    // Returns `base` plus the root means in tree order: the contributions'
    // bias.
    float bias(float base) const;

private:
    // Scratch slot of the padded layout: padding splits read their input
    // from it and add their zero contributions to it.
    static constexpr int PaddingFeature = FeatureCount;
    // The padded walk reads two copies of the features. In the first a
    // missing value stays NaN, which no "x < threshold" test sends left. In
    // the second it is -infinity, which every finite threshold sends left.
    static constexpr int InputStride = FeatureCount + 1;
    static_assert(PaddingFeature <= 255, "leaf records keep path features in one byte");

    void clearPadded();
    void pad();
    void padTree(const std::vector<TreeEvalNode> &nodes, size_t tree);
    void placeNode(const std::vector<TreeEvalNode> &nodes, int index, int position, int level,
        size_t tree);
    float evaluatePadded(const float *inputs, float base, float *byFeature) const;
    template<int Depth>
    float walkPadded(const float *inputs, float base, float *byFeature) const;
    template<int Depth, bool WithContributions>
    float walkLanes(const float *inputs, float base, float *byFeature) const;
    float evaluateNodes(const FeatureVector &features, float base, float *byFeature) const;

    int splitCount() const { return (1 << m_depth) - 1; }
    // Index in m_splits of tree `tree`'s split at `position` of the complete
    // tree (root 0, children of i at 2i + 1 and 2i + 2).
    size_t splitSlot(size_t tree, size_t position) const;
    static constexpr size_t leafStride(int depth) { return size_t(1 + depth + (depth + 3) / 4); }

    std::vector<std::vector<TreeEvalNode>> m_trees;  // as appended
    std::vector<float> m_rootMeans;
    std::vector<quint16> m_splitFeatures;
    int m_depth = 0;         // splits on the longest path of any tree
    bool m_padded = true;    // false once m_depth exceeds MaxPaddedDepth

    // The padded layout. Trees come in groups of Lanes (the trees walked
    // side by side), and group g owns splits [g * Lanes * S, ...) with
    // S = splitCount(), level by level: the Lanes roots, then the two
    // children of each tree, and so on (splitSlot()). Tree t owns leaves
    // [t * (S + 1), ...) and deltas [t * (2S + 1), ...). A delta is indexed
    // by the node's position in the complete tree. It is the node's mean
    // minus its parent's, and 0 for the root and for padding.
    struct Split
    {
        float threshold = 0;
        // Index into the inputs of evaluatePadded(): the feature, plus
        // InputStride when a missing value goes left.
        quint16 input = PaddingFeature;
        quint16 feature = PaddingFeature;  // where the contribution is added
    };
    std::vector<Split> m_splits;
    std::vector<float> m_deltas;
    // One record of leafStride() floats per leaf, tree t's leaf l at
    // t * (S + 1) + l: the leaf value, then the deltas of the children taken
    // on the path from the root (D = m_depth of them, root first), then the D
    // features they are added to, one byte each. A leaf's value and path
    // thus share one or two cache lines.
    std::vector<float> m_leaves;
    // Features that some split sends left when missing. Only these are
    // written to the second copy of the inputs, because splits read no other
    // part of it.
    std::vector<quint16> m_leftDefaultFeatures;
};

} // namespace portcullis::fraud
